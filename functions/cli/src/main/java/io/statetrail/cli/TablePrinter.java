package io.statetrail.cli;

import io.statetrail.api.Table;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Prints the columns of a {@link Table} that have a width, fitted to the terminal: each column as wide as its longest
 * value when they all fit; otherwise the table's least useful columns ({@link Table#cutOrder}) are shortened first,
 * down to {@link #MIN_WIDTH}, then left out. Every cell is made safe for a terminal.
 */
final class TablePrinter {

    /** A column is never shortened below this (a time keeps its date and hour, an ARN its account). */
    static final int MIN_WIDTH = 12;

    private TablePrinter() {
    }

    static <T> void print(Table<T> table, List<T> rows, PrintStream out) {
        print(table, rows, out, Terminal.columns(), null);
    }

    /** @param below a line printed under each row, indented under the second column (null for none) */
    static <T> void print(Table<T> table, List<T> rows, PrintStream out, int width, Function<T, String> below) {
        List<Table.Column<T>> cols = table.columns().stream().filter(c -> c.width() > 0).toList();
        List<String> headers = cols.stream().map(c -> c.name().toUpperCase(Locale.ROOT)).toList();
        List<List<String>> cells = new ArrayList<>();
        for (T row : rows) {
            List<String> line = new ArrayList<>();
            for (Table.Column<T> c : cols) {
                String v = c.value().apply(row);
                line.add(TerminalText.safe(v == null || v.isEmpty() ? "-" : v));
            }
            cells.add(line);
        }
        List<String> names = cols.stream().map(Table.Column::name).toList();
        int[] widths = fit(headers, cells, cols.stream().mapToInt(Table.Column::width).toArray(), cutOrder(names, table.cutOrder()), width);
        out.println(line(headers, widths));
        int indent = widths[0] > 0 ? Math.min(widths[0] + 1, width / 3) : 2;
        for (int r = 0; r < rows.size(); r++) {
            out.println(line(cells.get(r), widths));
            if (below != null) {
                out.println(" ".repeat(indent) + TerminalText.fit(below.apply(rows.get(r)), Math.max(1, width - indent)));
            }
        }
    }

    /**
     * Column widths for {@code width} characters: 0 for a column left out.
     *
     * @param declared each column's width on a 100-column terminal; a column may grow past two thirds of the width
     *                 only up to it
     * @param cutOrder column indexes, least useful first
     */
    static int[] fit(List<String> headers, List<List<String>> cells, int[] declared, List<Integer> cutOrder, int width) {
        int n = headers.size();
        int[] w = new int[n];
        int[] min = new int[n];
        int total = n - 1;
        for (int i = 0; i < n; i++) {
            int natural = headers.get(i).length();
            for (List<String> row : cells) {
                natural = Math.max(natural, row.get(i).length());
            }
            w[i] = Math.min(natural, Math.max(declared[i], width * 2 / 3));
            min[i] = Math.min(w[i], Math.max(MIN_WIDTH, headers.get(i).length()));
            total += w[i];
        }
        for (int i : cutOrder) {
            if (total <= width) {
                break;
            }
            int cut = Math.min(total - width, w[i] - min[i]);
            w[i] -= cut;
            total -= cut;
        }
        int shown = n;
        for (int i : cutOrder) {
            if (total <= width || shown == 1) {
                break;
            }
            total -= w[i] + 1;
            w[i] = 0;
            shown--;
        }
        if (total > width) {
            for (int i = 0; i < n; i++) {
                w[i] = w[i] > 0 ? Math.max(1, width) : 0;
            }
        }
        return w;
    }

    /** The table's cut order by index, then the columns it does not name, last first. */
    static List<Integer> cutOrder(List<String> names, List<String> cutFirst) {
        List<Integer> order = new ArrayList<>();
        for (String name : cutFirst) {
            int i = names.indexOf(name);
            if (i >= 0) {
                order.add(i);
            }
        }
        for (int i = names.size() - 1; i >= 0; i--) {
            if (!order.contains(i)) {
                order.add(i);
            }
        }
        return order;
    }

    private static String line(List<String> values, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] == 0) {
                continue;
            }
            line.append(line.isEmpty() ? "" : " ").append(TerminalText.pad(values.get(i), widths[i]));
        }
        return line.toString().stripTrailing();
    }
}
