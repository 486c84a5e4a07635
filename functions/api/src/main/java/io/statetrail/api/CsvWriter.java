package io.statetrail.api;

import java.util.List;

/**
 * RFC 4180 CSV for spreadsheets: every field quoted, quotes doubled, CRLF line ends. A cell that starts with
 * {@code = + - @}, tab or carriage return gets a leading {@code '} so a spreadsheet shows it as text instead of running
 * it as a formula (OWASP "CSV injection"): branch names, session names and lock holders are chosen by whoever ran the
 * workflow.
 */
public final class CsvWriter {

    private final StringBuilder out = new StringBuilder();

    public CsvWriter row(List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"').append(cell(cells.get(i)).replace("\"", "\"\"")).append('"');
        }
        out.append("\r\n");
        return this;
    }

    /** The cell's text as written, before quoting: null is empty, formula starters are neutralised. */
    public static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char c = value.charAt(0);
        if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
            return "'" + value;
        }
        return value;
    }

    public static <T> String write(Table<T> table, List<T> rows) {
        CsvWriter w = new CsvWriter();
        w.row(table.names());
        for (T r : rows) {
            w.row(table.cells(r));
        }
        return w.toString();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
