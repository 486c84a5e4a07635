package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.policy.PolicyLoader;
import io.statetrail.core.replay.Replay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, first hour: tables use the terminal's width. On a wide terminal nothing is cut (role ARNs and state keys
 * whole); on 80 columns a finding is its two lines, no more; narrower still, the least useful columns go first.
 */
class TableWidthTest {

    static List<Finding> findings;

    @BeforeAll
    static void replayTheSamples() {
        findings = new Replay(PolicyLoader.load(QueryCommandTest.EVENTS.resolve("policy.yaml"))).run(List.of(QueryCommandTest.EVENTS), null).findings();
        assertTrue(findings.size() > 10);
    }

    @Test
    void aWideTerminalShowsRoleArnsAndStateKeysWhole() {
        List<String> lines = table(220);
        for (Finding f : findings) {
            String where = f.stateKey() != null ? f.stateKey() : f.roleArn();
            assertTrue(lines.stream().anyMatch(l -> l.contains(" " + where)), "whole: " + where);
        }
        assertTrue(lines.stream().allMatch(l -> l.length() <= 220));
        assertFalse(lines.get(0).contains("…") || lines.get(1).contains("…"), lines.get(1));
    }

    @Test
    void eightyColumnsKeepEachFindingOnItsTwoLines() {
        List<String> lines = table(80);
        assertEquals(1 + 2 * findings.size() + 1, lines.size());
        for (String line : lines) {
            assertTrue(line.length() <= 80, line.length() + ": " + line);
        }
        String header = lines.get(0);
        assertTrue(header.startsWith("TIME") && header.contains(" SEVERITY TYPE "), "every column still shown: " + header);
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            String row = lines.get(1 + 2 * i);
            assertTrue(row.contains(" " + f.type() + " "), "the type is never cut before the time: " + row);
            assertTrue(row.startsWith(f.time().toString() + " "), "the time stays whole: " + row);
        }
    }

    @Test
    void aNarrowTerminalLeavesOutTheLeastUsefulColumns() {
        List<String> lines = table(40);
        lines.forEach(l -> assertTrue(l.length() <= 40, l));
        assertFalse(lines.get(0).contains("WHERE"), "where goes first (the summary below says it): " + lines.get(0));
        assertTrue(lines.get(0).contains("TYPE") && lines.get(0).contains("TIME"), lines.get(0));
    }

    private static List<String> table(int width) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FindingOutput.table(findings, new PrintStream(bytes, true, StandardCharsets.UTF_8), width);
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
