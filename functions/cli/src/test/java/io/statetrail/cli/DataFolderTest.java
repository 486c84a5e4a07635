package io.statetrail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 17, first hour: the demo leaves its table where the next command looks, a folder without a table is an
 * error (exit 1) rather than an empty answer, and the demo never empties a folder it did not make.
 */
class DataFolderTest {

    static final Path EVENTS = QueryCommandTest.EVENTS;

    @Test
    void theDemoWritesWhereQueryFindingsSweepAndServeRead() {
        CommandLine main = Main.commandLine();
        String demo = main.getSubcommands().get("demo").getCommandSpec().findOption("--data-dir").defaultValueString();
        assertEquals(LocalTrail.DEFAULT_DATA_DIR, demo);
        for (List<String> command : List.of(List.of("ingest"), List.of("findings"), List.of("sweep"), List.of("serve"),
                List.of("query", "findings"), List.of("query", "runs"), List.of("query", "lineage"), List.of("query", "locks"))) {
            CommandLine c = main;
            for (String name : command) {
                c = c.getSubcommands().get(name);
            }
            assertEquals(demo, c.getCommandSpec().findOption("--data-dir").defaultValueString(), String.join(" ", command));
        }
    }

    @Test
    void aFolderWithoutATableIsAnErrorAndIsNotCreated(@TempDir Path dir) {
        Path typo = dir.resolve(".statetrail/dta");
        String policy = EVENTS.resolve("policy.yaml").toString();
        for (String[] args : List.of(
                new String[] {"findings", "--data-dir", typo.toString()},
                new String[] {"sweep", "--data-dir", typo.toString(), "--policy", policy},
                new String[] {"serve", "--data-dir", typo.toString(), "--port", "0"},
                new String[] {"query", "findings", "--data-dir", typo.toString()},
                new String[] {"query", "lineage", "ASIAW6NHX2PAKCWQIIRG", "--data-dir", typo.toString()})) {
            QueryCommandTest.Result r = QueryCommandTest.run(args);
            assertEquals(1, r.exit(), args[0] + ": " + r.err());
            assertTrue(r.err().contains("no audit table in " + typo), r.err());
            assertTrue(r.err().contains("./statetrail ingest or ./statetrail demo makes one"), r.err());
            assertFalse(Files.exists(typo), args[0] + " created " + typo);
        }
    }

    @Test
    void theDemoEmptiesOnlyAFolderItMade(@TempDir Path dir) throws Exception {
        Path mine = dir.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("shared-local-instance.db"), "the user's own table");
        QueryCommandTest.Result refused = QueryCommandTest.run("demo", "--no-serve", "--data-dir", mine.toString(),
                "--events", EVENTS.toString(), "--policy", EVENTS.resolve("policy.yaml").toString());
        assertEquals(Main.EXIT_USAGE, refused.exit(), refused.err());
        assertTrue(refused.err().contains("holds files the demo did not make"), refused.err());
        assertEquals("the user's own table", Files.readString(mine.resolve("shared-local-instance.db")));

        Path demo = dir.resolve("demo");
        assertTrue(DemoCommand.startAfresh(demo, System.err), "a folder that does not exist yet");
        Files.writeString(demo.resolve("alerts.jsonl"), "{}\n");
        assertTrue(DemoCommand.startAfresh(demo, System.err), "a folder an earlier demo made");
        assertFalse(Files.exists(demo.resolve("alerts.jsonl")), "emptied");
        assertTrue(Files.exists(demo.resolve(DemoCommand.MARKER)));

        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertTrue(DemoCommand.startAfresh(empty, System.err), "an empty folder");
    }

    @Test
    void ingestingIntoTheDemosTableSaysSoAndKeepsALaterDemoFromEmptyingIt(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        assertTrue(DemoCommand.startAfresh(data, System.err));
        QueryCommandTest.Result r = QueryCommandTest.run("ingest", "--data-dir", data.toString(), "--policy",
                EVENTS.resolve("policy.yaml").toString(), EVENTS.resolve("scenarios/bootstrap-dynamodb-lock").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("holds the demo's table"), r.err());
        assertFalse(Files.exists(data.resolve(DemoCommand.MARKER)));
        assertFalse(DemoCommand.startAfresh(data, System.err), "now the user's records are in it too");
    }
}
