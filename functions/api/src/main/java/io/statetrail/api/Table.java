package io.statetrail.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The columns of one kind of result: all of them go to CSV; those with a width make the CLI's table. The width is
 * what a 100-column terminal shows; the CLI fits the table to the terminal it runs in, cutting the columns named in
 * {@link #cutFirst} first when it is narrower than their values.
 */
public final class Table<T> {

    /** @param width characters in the CLI table, 0 when the column is only exported */
    public record Column<T>(String name, int width, Function<T, String> value) {
    }

    private final List<Column<T>> columns = new ArrayList<>();
    private List<String> cutFirst = List.of();

    public Table<T> col(String name, int width, Function<T, String> value) {
        columns.add(new Column<>(name, width, value));
        return this;
    }

    public Table<T> col(String name, Function<T, String> value) {
        return col(name, 0, value);
    }

    /** The table's columns from least to most useful: on a narrow terminal the CLI shortens, then leaves out, these first. */
    public Table<T> cutFirst(String... names) {
        cutFirst = List.of(names);
        return this;
    }

    public List<String> cutOrder() {
        return cutFirst;
    }

    /** The same columns (so the same CSV) with other table widths: columns not named are left out of the table. */
    public Table<T> withWidths(Map<String, Integer> widths) {
        Table<T> t = new Table<>();
        t.cutFirst = cutFirst;
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
