package io.jenkins.plugins.azureml.client.implementation;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed JSON response read with azure-json, with lenient, case-insensitive field access: the service mixes
 * PascalCase (pipelines) and camelCase (run history) and may send numbers as strings.
 */
public final class JsonTree {
    private final Object root;

    private JsonTree(Object root) {
        this.root = root;
    }

    /** @throws IOException when the bytes are not JSON */
    public static JsonTree parse(byte[] json) throws IOException {
        try (JsonReader reader = JsonProviders.createReader(json)) {
            reader.nextToken();
            Object value = reader.readUntyped();
            return new JsonTree(value);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IOException("not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The child object or value of a field, case-insensitively; an empty tree when absent. */
    public JsonTree get(String field) {
        if (root instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (field.equalsIgnoreCase(String.valueOf(e.getKey()))) {
                    return new JsonTree(e.getValue());
                }
            }
        }
        return new JsonTree(null);
    }

    public boolean isObject() {
        return root instanceof Map;
    }

    public boolean isPresent() {
        return root != null;
    }

    /** A scalar as text (numbers without a fraction as integers), or null for absent, null and objects. */
    public String text() {
        if (root == null || root instanceof Map || root instanceof Iterable) {
            return null;
        }
        if (root instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return Long.toString(d.longValue());
        }
        return root.toString();
    }

    /** The fields of an object in their order; empty for anything else. */
    public Map<String, JsonTree> fields() {
        Map<String, JsonTree> result = new java.util.LinkedHashMap<>();
        if (root instanceof Map<?, ?> map) {
            map.forEach((k, v) -> result.put(String.valueOf(k), new JsonTree(v)));
        }
        return result;
    }

    /** The elements of an array; empty for anything else. */
    public List<JsonTree> elements() {
        List<JsonTree> result = new ArrayList<>();
        if (root instanceof Iterable<?> items) {
            items.forEach(item -> result.add(new JsonTree(item)));
        }
        return result;
    }

    /**
     * A number, also when sent as text: protobuf's JSON writes int64 fields as strings and non-finite doubles as
     * "NaN", "Infinity" and "-Infinity"; Python's json writes bare NaN/Infinity, which the reader accepts. Null for
     * anything that is not a number.
     */
    public Double number() {
        if (root instanceof Number n) {
            return n.doubleValue();
        }
        if (root instanceof String s) {
            String t = s.trim();
            switch (t.toLowerCase(java.util.Locale.ROOT)) {
                case "nan": return Double.NaN;
                case "infinity": case "inf": case "+infinity": case "+inf": return Double.POSITIVE_INFINITY;
                case "-infinity": case "-inf": return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return t.matches("[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?") ? Double.valueOf(t) : null;
                    } catch (NumberFormatException e) {
                        return null;
                    }
            }
        }
        return null;
    }

    /** The first non-blank text among the given fields. */
    public String firstText(String... fields) {
        for (String f : fields) {
            String t = get(f).text();
            if (t != null && !t.isBlank()) {
                return t;
            }
        }
        return null;
    }
}
