package io.statetrail.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The columns of one kind of result: all of them go to CSV; those with a width make the CLI's table, which fits a
 * 100-column terminal.
 */
public final class Table<T> {

    /** @param width characters in the CLI table, 0 when the column is only exported */
    public record Column<T>(String name, int width, Function<T, String> value) {
    }

    private final List<Column<T>> columns = new ArrayList<>();

    public Table<T> col(String name, int width, Function<T, String> value) {
        columns.add(new Column<>(name, width, value));
        return this;
    }

    public Table<T> col(String name, Function<T, String> value) {
        return col(name, 0, value);
    }

    /** The same columns (so the same CSV) with other table widths: columns not named are left out of the table. */
    public Table<T> withWidths(Map<String, Integer> widths) {
        Table<T> t = new Table<>();
        for (Column<T> c : columns) {
            t.columns.add(new Column<>(c.name(), widths.getOrDefault(c.name(), 0), c.value()));
        }
        return t;
    }

    public List<Column<T>> columns() {
        return List.copyOf(columns);
    }

    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    public List<String> cells(T row) {
        List<String> out = new ArrayList<>(columns.size());
        for (Column<T> c : columns) {
            out.add(c.value().apply(row));
        }
        return out;
    }
}
