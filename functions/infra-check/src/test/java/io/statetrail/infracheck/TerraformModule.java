package io.statetrail.infracheck;

import com.bertramlabs.plugins.hcl4j.HCLParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Terraform module directory parsed with hcl4j, with its variables set like a tfvars file would, and its resources
 * expanded per count / for_each key (each.key and each.value references resolved).
 *
 * <p>hcl4j evaluates variables, locals, for expressions, conditionals and (with {@link HclFunctions}) the functions
 * the modules use; references to resource attributes and data sources stay as text. That is enough to render
 * event patterns and IAM policies from the module's own expressions.
 *
 * <p>A call of a module of this repository ({@code source = "../statetrail-events"}) is evaluated as Terraform would:
 * the called module is loaded with the arguments the call passes, and its outputs are what {@code module.<name>.<output>}
 * stands for here. hcl4j knows no {@code module.} references, so the caller is evaluated a second time with each
 * called module's outputs given as a variable in their place.
 */
final class TerraformModule {
    private static final Pattern EACH = Pattern.compile("each\\.(key|value)((?:\\.[A-Za-z0-9_-]+)*)");
    /** Arguments of a module call that are Terraform's, not the called module's variables. */
    private static final Set<String> MODULE_META_ARGUMENTS = Set.of("source", "version", "count", "for_each", "providers", "depends_on");

    final Path dir;
    final Map<String, Object> variables;
    final Map<String, Object> locals;
    final Map<String, Object> raw;
    /** The modules this one calls from this repository, by call name, each loaded with the arguments of its call. */
    final Map<String, TerraformModule> modules;

    private TerraformModule(Path dir, Map<String, Object> variables, Map<String, Object> raw, Map<String, TerraformModule> modules) {
        this.dir = dir;
        this.variables = variables;
        this.raw = raw;
        this.locals = mergedLocals(raw.get("locals"));
        this.modules = modules;
    }

    /** Parses every .tf file of {@code dir} as one configuration, with {@code inputs} overriding variable defaults. */
    static TerraformModule load(Path dir, Map<String, Object> inputs) {
        String source = source(dir);
        Map<String, Object> vars = new LinkedHashMap<>();
        Map<String, Object> declared = asMap(parse(HclFunctions.newParser(), source).get("variable"));
        declared.forEach((name, decl) -> vars.put(name, asMap(decl).get("default")));
        for (String name : inputs.keySet()) {
            if (!declared.containsKey(name)) {
                throw new IllegalArgumentException("test input '" + name + "' is not a variable of " + dir);
            }
        }
        vars.putAll(inputs);
        // hcl4j does not see a variable set to null as null: write null in its place, as Terraform would read it.
        Map<String, Object> known = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : vars.entrySet()) {
            if (e.getValue() == null) {
                source = source.replaceAll("\\bvar\\." + Pattern.quote(e.getKey()) + "\\b", "null");
            } else {
                known.put(e.getKey(), e.getValue());
            }
        }
        Map<String, Object> raw = parse(parser(known), source);
        Map<String, TerraformModule> modules = new LinkedHashMap<>();
        asMap(raw.get("module")).forEach((name, call) -> {
            Object from = asMap(call).get("source");
            if (from instanceof String path && (path.startsWith("./") || path.startsWith("../"))) {
                Map<String, Object> arguments = new LinkedHashMap<>();
                // As plain values: what hcl4j left unevaluated (an example's own variables, data sources) stays text.
                asMap(call).forEach((k, v) -> arguments.put(k, HclFunctions.plain(v)));
                arguments.keySet().removeAll(MODULE_META_ARGUMENTS);
                modules.put(name, load(dir.resolve(path).normalize(), arguments));
            }
        });
        if (!modules.isEmpty()) {
            for (Map.Entry<String, TerraformModule> called : modules.entrySet()) {
                String variable = "module__" + called.getKey();
                Map<String, Object> outputs = new LinkedHashMap<>();
                called.getValue().outputs().forEach((output, value) -> {
                    // An output hcl4j could not evaluate (a resource attribute) stays a reference, as before.
                    if (evaluated(value)) {
                        outputs.put(output, value);
                    }
                });
                for (String output : outputs.keySet()) {
                    source = source.replaceAll("\\bmodule\\." + Pattern.quote(called.getKey()) + "\\." + Pattern.quote(output) + "\\b",
                            "var." + variable + "." + output);
                }
                known.put(variable, outputs);
            }
            raw = parse(parser(known), source);
        }
        return new TerraformModule(dir, vars, raw, modules);
    }

    /** A value hcl4j evaluated whole: strings, numbers, booleans, and lists and maps of them. */
    private static boolean evaluated(Object value) {
        if (value instanceof Map<?, ?> m) {
            return m.values().stream().allMatch(TerraformModule::evaluated);
        }
        if (value instanceof Collection<?> c) {
            return c.stream().allMatch(TerraformModule::evaluated);
        }
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    private static HCLParser parser(Map<String, Object> variables) {
        HCLParser parser = HclFunctions.newParser();
        parser.setVariables(variables);
        return parser;
    }

    /** The values of the module's outputs, by name, as a caller reads them ({@code module.<name>.<output>}). */
    Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        asMap(raw.get("output")).forEach((name, body) -> out.put(name, asMap(body).get("value")));
        return out;
    }

    /** The module called {@code name} here (a module of this repository). */
    TerraformModule module(String name) {
        TerraformModule m = modules.get(name);
        if (m == null) {
            throw new AssertionError(dir + " calls no module " + name + " of this repository: " + modules.keySet());
        }
        return m;
    }

    static Map<String, Object> parseFile(Path file) {
        try {
            return parse(HclFunctions.newParser(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** hcl4j prints its evaluation steps to System.out: keep them out of the test output. */
    private static synchronized Map<String, Object> parse(HCLParser parser, String source) {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            return parser.parse(source);
        } catch (Exception e) {
            throw new IllegalStateException("hcl4j could not parse: " + e, e);
        } finally {
            System.setOut(out);
        }
    }

    private static String source(Path dir) {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
                sb.append(Files.readString(f)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object o) {
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        return o == null ? List.of() : List.of(o);
    }

    private static Map<String, Object> mergedLocals(Object locals) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (locals instanceof Map<?, ?>) {
            out.putAll(asMap(locals));
        } else if (locals instanceof List<?> l) {
            l.forEach(m -> out.putAll(asMap(m)));
        }
        return out;
    }

    /** One instance of a resource: a count index or for_each key. */
    record Instance(String type, String name, String key, Map<String, Object> attributes) {
        String address() {
            return type + "." + name + (key == null ? "" : "[" + key + "]");
        }

        Object get(String path) {
            Object cur = attributes;
            for (String part : path.split("\\.")) {
                if (cur instanceof List<?> l && l.size() == 1) {
                    cur = l.get(0);
                }
                cur = asMap(cur).get(part);
            }
            return cur;
        }

        String text(String path) {
            return HclFunctions.text(get(path));
        }
    }

    /** Names of the resources of this type declared in the module. */
    List<String> resourceNames(String type) {
        return new ArrayList<>(asMap(asMap(raw.get("resource")).get(type)).keySet());
    }

    /** The instances of every resource of this type, with count = 0 resources left out. */
    List<Instance> instances(String type) {
        List<Instance> out = new ArrayList<>();
        asMap(asMap(raw.get("resource")).get(type)).forEach((name, body) -> out.addAll(expand(type, name, asMap(body))));
        return out;
    }

    Instance instance(String type, String name) {
        List<Instance> list = instances(type).stream().filter(i -> i.name.equals(name)).toList();
        if (list.size() != 1) {
            throw new AssertionError("expected one instance of " + type + "." + name + ", found " + list.size());
        }
        return list.get(0);
    }

    private static List<Instance> expand(String type, String name, Map<String, Object> body) {
        List<Instance> out = new ArrayList<>();
        if (body.containsKey("for_each")) {
            Object fe = body.get("for_each");
            if (fe instanceof Map<?, ?> m) {
                m.forEach((k, v) -> out.add(new Instance(type, name, String.valueOf(k), resolveEach(body, String.valueOf(k), v))));
            } else if (fe instanceof Collection<?> c) {
                c.forEach(v -> out.add(new Instance(type, name, String.valueOf(v), resolveEach(body, String.valueOf(v), v))));
            } else {
                // hcl4j could not evaluate for_each: keep one instance, so the checks still look at the body.
                out.add(new Instance(type, name, "?", body));
            }
            return out;
        }
        if (body.containsKey("count")) {
            Object count = body.get("count");
            long n = count instanceof Number num ? num.longValue() : 1;
            for (long i = 0; i < n; i++) {
                out.add(new Instance(type, name, n == 1 ? null : Long.toString(i), body));
            }
            return out;
        }
        out.add(new Instance(type, name, null, body));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T> T resolveEach(T value, String key, Object eachValue) {
        if (value instanceof com.bertramlabs.plugins.hcl4j.symbols.Symbol symbol) {
            // An unresolved reference (each.value, aws_x.y.arn): hcl4j keeps the symbol.
            Matcher m = EACH.matcher(symbol.getName());
            return m.matches() ? resolveEach((T) symbol.getName(), key, eachValue) : value;
        }
        if (value instanceof String s) {
            Matcher m = EACH.matcher(s);
            if (m.matches()) {
                Object resolved = "key".equals(m.group(1)) ? key : navigate(eachValue, m.group(2));
                return (T) resolved;
            }
            return (T) s.replace("each.key", key);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), resolveEach(v, key, eachValue)));
            return (T) out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(resolveEach(v, key, eachValue)));
            return (T) out;
        }
        return value;
    }

    private static Object navigate(Object root, String path) {
        Object cur = root;
        if (path == null || path.isEmpty()) {
            return cur;
        }
        for (String part : path.substring(1).split("\\.")) {
            cur = asMap(cur).get(part);
        }
        return cur;
    }
}
