package io.statetrail.api;

import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the declaration of a request record ({@link FindingsRequest} and the others): its components are the
 * endpoint's parameters, each with its name, description ({@link Parameter}), place ({@link QueryValue} or
 * {@link PathVariable}) and CLI option ({@link Cli}). The controller's unknown-parameter check, the CLI's options and
 * the OpenAPI test all read it here.
 */
public final class RequestRecords {

    private RequestRecords() {
    }

    /** One parameter as its request record declares it; {@code cli} is null where no command asks for it. */
    public record Param(String name, boolean inPath, String description, boolean required, Cli cli) {

        /** The CLI's option name. */
        public String option() {
            return cli.option().isEmpty() ? "--" + name : cli.option();
        }
    }

    /** The parameters of a request record, in declaration order. */
    public static List<Param> params(Class<? extends Record> type) {
        List<Param> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Field field = field(type, c.getName());
            Parameter doc = field.getAnnotation(Parameter.class);
            boolean inPath = field.isAnnotationPresent(PathVariable.class);
            if (doc == null || (!inPath && !field.isAnnotationPresent(QueryValue.class)) || c.getType() != String.class) {
                throw new IllegalStateException(type.getSimpleName() + "." + c.getName()
                        + " is not a described @QueryValue or @PathVariable String");
            }
            out.add(new Param(c.getName(), inPath, doc.description(), doc.required() || inPath, c.getAnnotation(Cli.class)));
        }
        return out;
    }

    /** The names a query string may carry for these request records. */
    static List<String> queryNames(List<Class<? extends Record>> types) {
        List<String> names = new ArrayList<>();
        for (Class<? extends Record> t : types) {
            params(t).stream().filter(p -> !p.inPath()).forEach(p -> names.add(p.name()));
        }
        return names;
    }

    /** A request record from values by parameter name (the CLI's options); a parameter not given is null. */
    public static <R extends Record> R create(Class<R> type, Map<String, String> values) {
        Map<String, String> left = new HashMap<>(values);
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = left.remove(components[i].getName());
            types[i] = components[i].getType();
        }
        if (!left.isEmpty()) {
            throw new IllegalArgumentException(type.getSimpleName() + " has no parameter " + left.keySet());
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field field(Class<?> type, String name) {
        try {
            return type.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
