package io.orderstream.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandValidationTest {

    /** Text no field may carry: NUL, other C0 controls, DEL, C1, lone surrogates, noncharacters. */
    static final List<String> REFUSED = List.of("\u0000", "\u0001", "\u0008", "\u001b", "\u001f", "\u007f",
            "\u0080", "\u0085", "\u009f", "\ud800", "\udbff", "\udc00", "\udfff", "\ufffe", "\uffff", "\ufdd0",
            "\ud83f\udffe" /* U+1FFFE */, "\udbff\udfff" /* U+10FFFF */);

    /** Every text field of a command, named as in the HTTP body, and how to put a value there. */
    static Stream<Arguments> fieldsAndRefusedText() {
        List<Arguments> cases = new java.util.ArrayList<>();
        for (String bad : REFUSED) {
            for (Field field : Field.values()) {
                cases.add(Arguments.of(field, bad));
            }
        }
        return cases.stream();
    }

    enum Field {
        CUSTOMER_ID("customerId", text -> place(text, "EUR", "SKU-1")),
        CURRENCY("currency", text -> place("cust-1", text, "SKU-1")),
        FIRST_SKU("lines[0].sku", text -> place("cust-1", "EUR", text)),
        SECOND_SKU("lines[1].sku", text -> new OrderCommand.PlaceOrder("cust-1", "EUR",
                List.of(new OrderLine("SKU-1", 1, 100), new OrderLine(text, 1, 100)))),
        REASON("reason", text -> new OrderCommand.ChangeStatus(OrderStatus.SHIPPED, text));

        final String name;
        final Function<String, OrderCommand> command;

        Field(String name, Function<String, OrderCommand> command) {
            this.name = name;
            this.command = command;
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("fieldsAndRefusedText")
    void textTheSystemCannotKeep_isAViolationNamingTheField_neverQuotingTheValue(Field field, String bad) {
        String value = field == Field.CURRENCY ? "EU" + bad : "secret-" + bad + "-value";
        OrderCommand command = field.command.apply(value);

        assertThat(CommandValidation.violation(command)).hasValueSatisfying(violation -> {
            assertThat(violation).startsWith(field.name + ": ");
            assertThat(violation).doesNotContain("secret", bad);
        });
        assertThat(CommandValidation.unkeepableText(envelope(command, "k-1", null)))
                .hasValueSatisfying(violation -> assertThat(violation).startsWith(field.name + ": ")
                        .contains(String.format("U+%04X", value.codePointAt(value.indexOf(bad))))
                        .doesNotContain("secret"));
    }

    @Test
    void anyUnicodeText_isKept_astralCharactersAndJoinersIncluded() {
        for (String good : List.of("caf\u00e9", "\u6ce8\u6587", "\ud83d\udce6 parcel", "\ud83d\udc69\u200d\ud83d\udcbb",
                "\u00a0nbsp", "\u05e9\u05dc\u05d5\u05dd", "\uffef", "\ud800\udc00", "\ufdcf\ufdf0", "?")) {
            OrderCommand place = place("cust-" + good, "EUR", "SKU-" + good);
            OrderCommand change = new OrderCommand.ChangeStatus(OrderStatus.SHIPPED, good);

            assertThat(CommandValidation.violation(place)).as(good).isEmpty();
            assertThat(CommandValidation.violation(change)).as(good).isEmpty();
            assertThat(CommandValidation.unkeepableText(envelope(place, "k-1", "actor-" + good))).as(good).isEmpty();
        }
    }

    @Test
    void tabAndLineBreaks_areFreeTextInAReason_butNotInAnIdentifier() {
        for (String whitespace : List.of("\t", "\n", "\r\n")) {
            assertThat(CommandValidation.violation(new OrderCommand.ChangeStatus(OrderStatus.SHIPPED,
                    "line one" + whitespace + "line two"))).isEmpty();
            assertThat(CommandValidation.violation(place("cust" + whitespace + "1", "EUR", "SKU-1")))
                    .hasValueSatisfying(violation -> assertThat(violation).startsWith("customerId: "));
            assertThat(CommandValidation.violation(place("cust-1", "EUR", "SKU" + whitespace + "1")))
                    .hasValueSatisfying(violation -> assertThat(violation).startsWith("lines[0].sku: "));
        }
    }

    @Test
    void controlsJavaCountsAsBlank_areRefusedToo_notTakenForAnEmptyOptionalField() {
        for (String blankToJava : List.of("\u000b", "\u000c", "\u001c", "\u001f", "\u001c\u001d\u001e", " \u000b ")) {
            assertThat(CommandValidation.violation(new OrderCommand.ChangeStatus(OrderStatus.SHIPPED, blankToJava)))
                    .hasValueSatisfying(violation -> assertThat(violation).startsWith("reason: ")
                            .contains("control character"));
            assertThat(CommandValidation.violation(place(blankToJava, "EUR", "SKU-1")))
                    .hasValueSatisfying(violation -> assertThat(violation).startsWith("customerId: ")
                            .contains("control character"));
        }
    }

    @Test
    void envelopeFieldsFromAnyProducer_areTextTooThatTheSystemMustKeep() {
        OrderCommand place = place("cust-1", "EUR", "SKU-1");

        assertThat(CommandValidation.unkeepableText(envelope(place, "key\u0000", null)))
                .hasValueSatisfying(violation -> assertThat(violation).startsWith("idempotencyKey: "));
        assertThat(CommandValidation.unkeepableText(envelope(place, "k-1", "picker\ud800")))
                .hasValueSatisfying(violation -> assertThat(violation).startsWith("actor: ")
                        .doesNotContain("picker"));
        assertThat(CommandValidation.unkeepableText(envelope(place, "k-1", "picker@acme"))).isEmpty();
    }

    @Test
    void violation_namesThePositionAndCodePoint() {
        assertThat(CommandValidation.textViolation("sku", "ab\u0000", false))
                .hasValue("sku: contains a control character, U+0000, at position 3; text must be valid Unicode "
                        + "without control characters");
        assertThat(CommandValidation.textViolation("reason", "\udc00x", true))
                .hasValueSatisfying(violation -> assertThat(violation).contains("lone surrogate", "U+DC00",
                        "position 1"));
    }

    private static OrderCommand.PlaceOrder place(String customer, String currency, String sku) {
        return new OrderCommand.PlaceOrder(customer, currency, List.of(new OrderLine(sku, 1, 100)));
    }

    private static CommandEnvelope envelope(OrderCommand command, String key, String actor) {
        return new CommandEnvelope(SchemaVersions.COMMAND, "cmd-1", "req-1", "acme", "o-1", key, "fp",
                Instant.parse("2026-11-26T10:00:00Z"), command, actor);
    }
}
