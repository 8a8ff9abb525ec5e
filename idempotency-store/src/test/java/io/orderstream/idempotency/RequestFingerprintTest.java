package io.orderstream.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RequestFingerprintTest {

    @Test
    void equivalentJson_hasTheSameFingerprint() {
        String a = "{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"quantity\":2,\"unitPriceMinor\":100}]}";
        String b = " {\n  \"lines\" : [ { \"unitPriceMinor\" : 1e2, \"quantity\" : 2.0, \"sku\" : \"\\u0041\" } ],\n"
                + "  \"currency\":\"EUR\", \"customerId\" : \"c-1\" }\n";

        assertThat(fp("POST", "/api/v1/orders", b)).isEqualTo(fp("POST", "/api/v1/orders", a));
    }

    @Test
    void meaningfulDifferences_changeTheFingerprint() {
        String base = fp("POST", "/api/v1/orders", "{\"q\":1,\"s\":\"x\",\"a\":[1,2]}");

        assertThat(List.of(
                fp("PUT", "/api/v1/orders", "{\"q\":1,\"s\":\"x\",\"a\":[1,2]}"),
                fp("POST", "/api/v1/orders/x", "{\"q\":1,\"s\":\"x\",\"a\":[1,2]}"),
                fp("POST", "/api/v1/orders", "{\"q\":2,\"s\":\"x\",\"a\":[1,2]}"),
                fp("POST", "/api/v1/orders", "{\"q\":1.5,\"s\":\"x\",\"a\":[1,2]}"),
                fp("POST", "/api/v1/orders", "{\"q\":1,\"s\":\"X\",\"a\":[1,2]}"),
                fp("POST", "/api/v1/orders", "{\"q\":1,\"s\":\"x\",\"a\":[2,1]}"),
                fp("POST", "/api/v1/orders", "{\"q\":\"1\",\"s\":\"x\",\"a\":[1,2]}"),
                fp("POST", "/api/v1/orders", "{\"q\":1,\"s\":\"x\",\"a\":[1,2],\"extra\":null}"),
                fp("POST", "/api/v1/orders", "{\"q\":1,\"s\":\"x\"}")))
                .doesNotContain(base).doesNotHaveDuplicates();
    }

    @Test
    void fingerprint_isLowerCaseHexSha256() {
        assertThat(fp("GET", "/", "")).matches("[0-9a-f]{64}");
    }

    /** Property: any generated document, reordered and re-spelled, keeps its fingerprint; a changed leaf does not. */
    @RepeatedTest(200)
    void generatedDocuments_respellingsMatch_changesDoNot(org.junit.jupiter.api.RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        Object doc = generate(random, 3);

        String plain = render(doc, random, false);
        String respelled = render(doc, random, true);
        Object changed = mutate(doc, random);

        assertThat(fp("POST", "/p", respelled)).isEqualTo(fp("POST", "/p", plain));
        assertThat(fp("POST", "/p", render(changed, random, true))).isNotEqualTo(fp("POST", "/p", plain));
    }

    @Test
    void loneSurrogates_neverShareAFingerprintWithQuestionMarks_orWithEachOther() {
        List<String> bodies = List.of("{\"reason\":\"x?\"}", "{\"reason\":\"x\\ud800\"}",
                "{\"reason\":\"x\\udbff\"}", "{\"reason\":\"x\\udc00\"}", "{\"reason\":\"x\\udfff\"}",
                "{\"reason\":\"x\\\\ud800\"}", "{\"reason\":\"x\\ud800\\ud800\"}", "{\"reason\":\"x??\"}",
                "{\"reason?\":\"x\"}", "{\"reason\\ud800\":\"x\"}");

        assertThat(bodies.stream().map(body -> fp("PUT", "/api/v1/orders/o-1/status", body)).distinct())
                .hasSameSizeAs(bodies);
    }

    @Test
    void textUtf8CannotEncode_failsLoudly_ratherThanHashingAQuestionMark() {
        assertThatThrownBy(() -> RequestFingerprint.of("PUT", "/api/v1/orders/o\ud800/status", new byte[0]))
                .isInstanceOf(IllegalStateException.class);
        assertThat(RequestFingerprint.of("PUT", "/api/v1/orders/o?/status", new byte[0])).matches("[0-9a-f]{64}");
    }

    @Test
    void astralCharacters_escapedOrRaw_areTheSameText() {
        String raw = "{\"reason\":\"\ud83d\udce6 \u00e9\"}";
        String escaped = "{\"reason\":\"\\ud83d\\udce6 \\u00e9\"}";

        assertThat(fp("PUT", "/p", escaped)).isEqualTo(fp("PUT", "/p", raw))
                .isNotEqualTo(fp("PUT", "/p", "{\"reason\":\"? \u00e9\"}"))
                .isNotEqualTo(fp("PUT", "/p", "{\"reason\":\"?? \u00e9\"}"));
    }

    /**
     * Property: distinct strings, drawn from characters a lossy encoder confuses (lone surrogates,
     * '?', pairs, controls, escapes' own characters), give distinct fingerprints, as values and as
     * member names, however each is escaped.
     */
    @RepeatedTest(50)
    void distinctStrings_haveDistinctFingerprints(org.junit.jupiter.api.RepetitionInfo repetition) {
        Random random = new Random(1000 + repetition.getCurrentRepetition());
        char[] alphabet = {'?', 'x', '\\', '"', 'u', 'd', '8', '0', '\u0000', '\u001f', '\ufffd', '\ud800', '\udbff',
            '\udc00', '\udfff', '\ud83d', '\udce6'};
        java.util.Map<String, String> byFingerprint = new java.util.HashMap<>();
        for (int n = 0; n < 200; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(5); i >= 0; i--) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String value = text.toString();
            for (String body : List.of("{\"reason\":" + jsonString(value, random) + "}",
                    "{" + jsonString(value, random) + ":1}")) {
                String mine = (body.startsWith("{\"reason\"") ? "value " : "name ") + value;
                String previous = byFingerprint.putIfAbsent(fp("PUT", "/p", body), mine);
                assertThat(previous == null || previous.equals(mine)).as("%s and %s share a fingerprint",
                        escapeForMessage(previous), escapeForMessage(mine)).isTrue();
            }
        }
    }

    /** The string as JSON, each character either as itself (where JSON allows) or as its escape. */
    private static String jsonString(String value, Random random) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            boolean mustEscape = c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c);
            if (mustEscape || random.nextBoolean()) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String escapeForMessage(String text) {
        return text == null ? null : text.chars().mapToObj(c -> c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
                : String.format("\\u%04x", c)).collect(java.util.stream.Collectors.joining());
    }

    private static String fp(String method, String path, String body) {
        return RequestFingerprint.of(method, path, body.getBytes(StandardCharsets.UTF_8));
    }

    private record Num(long value) {
    }

    private record Obj(List<String> names, List<Object> values) {
    }

    private static Object generate(Random random, int depth) {
        int kind = depth == 0 ? random.nextInt(3) : random.nextInt(5);
        return switch (kind) {
            case 0 -> new Num(random.nextInt(2001) - 1000);
            case 1 -> "s" + random.nextInt(1000);
            case 2 -> random.nextBoolean();
            case 3 -> {
                List<Object> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(generate(random, depth - 1));
                }
                yield items;
            }
            default -> {
                List<String> names = new ArrayList<>();
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    names.add("k" + i);
                    values.add(generate(random, depth - 1));
                }
                yield new Obj(names, values);
            }
        };
    }

    /** Changes one leaf (or adds a member) so that the document means something else. */
    @SuppressWarnings("unchecked")
    private static Object mutate(Object doc, Random random) {
        if (doc instanceof Num n) {
            return new Num(n.value() + 1);
        }
        if (doc instanceof String s) {
            return s + "!";
        }
        if (doc instanceof Boolean b) {
            return !b;
        }
        if (doc instanceof List<?> list) {
            List<Object> copy = new ArrayList<>((List<Object>) list);
            if (copy.isEmpty()) {
                copy.add(new Num(0));
            } else {
                int i = random.nextInt(copy.size());
                copy.set(i, mutate(copy.get(i), random));
            }
            return copy;
        }
        Obj obj = (Obj) doc;
        List<Object> values = new ArrayList<>(obj.values());
        int i = random.nextInt(values.size());
        values.set(i, mutate(values.get(i), random));
        return new Obj(obj.names(), values);
    }

    private static String render(Object doc, Random random, boolean respell) {
        String ws = respell ? " \n\t".substring(0, random.nextInt(3)) : "";
        if (doc instanceof Num n) {
            if (!respell) {
                return Long.toString(n.value());
            }
            return switch (random.nextInt(3)) {
                case 0 -> n.value() + ".0";
                case 1 -> n.value() + "0e-1";
                default -> Long.toString(n.value());
            };
        }
        if (doc instanceof String s) {
            return "\"" + s + "\"";
        }
        if (doc instanceof Boolean b) {
            return b.toString();
        }
        StringBuilder out = new StringBuilder();
        if (doc instanceof List<?> list) {
            out.append('[').append(ws);
            for (int i = 0; i < list.size(); i++) {
                out.append(i > 0 ? "," + ws : "").append(render(list.get(i), random, respell));
            }
            return out.append(ws).append(']').toString();
        }
        Obj obj = (Obj) doc;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < obj.names().size(); i++) {
            order.add(i);
        }
        if (respell) {
            Collections.shuffle(order, random);
        }
        out.append('{').append(ws);
        for (int j = 0; j < order.size(); j++) {
            int i = order.get(j);
            out.append(j > 0 ? "," + ws : "").append('"').append(obj.names().get(i)).append('"').append(ws)
                    .append(':').append(ws).append(render(obj.values().get(i), random, respell));
        }
        return out.append(ws).append('}').toString();
    }
}
