package io.statetrail.cli;

import io.statetrail.api.Table;
import java.io.PrintStream;
import java.util.List;

/** Prints the columns of a {@link Table} that have a width, each cell made safe for a terminal and cut to fit. */
final class TablePrinter {
    private TablePrinter() {
    }

    static <T> void print(Table<T> table, List<T> rows, PrintStream out) {
        List<Table.Column<T>> cols = table.columns().stream().filter(c -> c.width() > 0).toList();
        StringBuilder head = new StringBuilder();
        for (Table.Column<T> c : cols) {
            head.append(head.isEmpty() ? "" : " ").append(TerminalText.pad(c.name().toUpperCase(java.util.Locale.ROOT), c.width()));
        }
        out.println(head.toString().stripTrailing());
        for (T row : rows) {
            StringBuilder line = new StringBuilder();
            for (Table.Column<T> c : cols) {
                String v = c.value().apply(row);
                line.append(line.isEmpty() ? "" : " ").append(TerminalText.pad(v == null || v.isEmpty() ? "-" : v, c.width()));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
