package io.orderstream.events;

/** One line of an order: a quantity of a SKU at a unit price in the currency's minor unit. */
public record OrderLine(String sku, int quantity, long unitPriceMinor) {

    /** {@code quantity × unitPriceMinor}, failing on overflow rather than wrapping. */
    public long totalMinor() {
        return Math.multiplyExact((long) quantity, unitPriceMinor);
    }
}
