package io.statetrail.infracheck;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.bertramlabs.plugins.hcl4j.symbols.Symbol;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Terraform functions that hcl4j lacks (or gets wrong) but the modules use in values the tests read.
 * A reference hcl4j cannot resolve (a resource attribute, a data source) is kept as the text "${reference}",
 * so that it can never pass for "*" or for an empty value.
 */
final class HclFunctions {
    static final ObjectMapper JSON = new ObjectMapper();

    private HclFunctions() {
    }

    static HCLParser newParser() {
        HCLParser p = new HCLParser();
        p.registerFunction("jsonencode", args -> {
            try {
                return JSON.writeValueAsString(plain(arg(args, 0)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
        p.registerFunction("merge", args -> {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object a : args) {
                if (a instanceof Map<?, ?> m) {
                    out.putAll(m);
                }
            }
            return out;
        });
        p.registerFunction("concat", args -> {
            List<Object> out = new ArrayList<>();
            for (Object a : args) {
                if (a instanceof Collection<?> c) {
                    out.addAll(c);
                } else {
                    // Not a list: hcl4j could not evaluate it. Keep a marker rather than silently dropping it.
                    out.add(new Unevaluated("concat argument " + a));
                }
            }
            return out;
        });
        p.registerFunction("compact", args -> {
            List<Object> out = new ArrayList<>();
            if (arg(args, 0) instanceof Collection<?> c) {
                for (Object o : c) {
                    if (o != null && !"".equals(o)) {
                        out.add(o);
                    }
                }
            }
            return out;
        });
        p.registerFunction("toset", args -> distinct(arg(args, 0)));
        p.registerFunction("distinct", args -> distinct(arg(args, 0)));
        p.registerFunction("tolist", args -> arg(args, 0) instanceof Collection<?> c ? new ArrayList<>(c) : arg(args, 0));
        p.registerFunction("tostring", args -> text(arg(args, 0)));
        p.registerFunction("trimprefix", args -> {
            String s = text(arg(args, 0));
            String prefix = text(arg(args, 1));
            return s != null && prefix != null && s.startsWith(prefix) ? s.substring(prefix.length()) : s;
        });
        p.registerFunction("coalesce", args -> {
            for (Object a : args) {
                if (a != null && !"".equals(a)) {
                    return a;
                }
            }
            return null;
        });
        p.registerFunction("keys", args -> arg(args, 0) instanceof Map<?, ?> m ? new ArrayList<>(m.keySet()) : null);
        p.registerFunction("values", args -> arg(args, 0) instanceof Map<?, ?> m ? new ArrayList<>(m.values()) : null);
        p.registerFunction("filebase64sha256", args -> "${filebase64sha256(" + text(arg(args, 0)) + ")}");
        return p;
    }

    /** Marks a value hcl4j could not evaluate; the tests fail on it where it matters. */
    record Unevaluated(String what) {
        @Override
        public String toString() {
            return "${unevaluated: " + what + "}";
        }
    }

    private static Object arg(List<Object> args, int i) {
        return args != null && args.size() > i ? args.get(i) : null;
    }

    private static List<Object> distinct(Object o) {
        if (o instanceof Collection<?> c) {
            return new ArrayList<>(new LinkedHashSet<>(c));
        }
        return null;
    }

    static String text(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return Long.toString(d.longValue());
        }
        if (o instanceof Symbol s) {
            return "${" + s.getName() + "}";
        }
        return o.toString();
    }

    /** Converts hcl4j values to plain JSON-able Java values (maps, lists, strings, numbers, booleans). */
    static Object plain(Object o) {
        if (o == null || o instanceof String || o instanceof Boolean) {
            return o;
        }
        if (o instanceof Double d) {
            return d == Math.rint(d) && !d.isInfinite() ? (Object) d.longValue() : d;
        }
        if (o instanceof Number) {
            return o;
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (o instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            c.forEach(v -> out.add(plain(v)));
            return out;
        }
        if (o instanceof Symbol s) {
            return "${" + s.getName() + "}";
        }
        return o.toString();
    }
}
