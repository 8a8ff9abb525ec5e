package io.orderstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderstream.events.Json;
import io.orderstream.local.Api;
import io.orderstream.local.TestStack;
import java.net.http.HttpResponse;

/** Places and moves orders through the real API, as a storefront does. */
public final class Orders {

    private Orders() {
    }

    /** Places an order with this key; returns its id. */
    public static String place(TestStack stack, String tenant, String key) {
        HttpResponse<String> placed = stack.api.placeOrder(tenant, key, Api.placeBody("c-" + key));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        return Json.MAPPER.readTree(placed.body()).get("orderId").asString();
    }

    public static void changeStatus(TestStack stack, String tenant, String orderId, String key, String status) {
        HttpResponse<String> changed = stack.api.changeStatus(tenant, orderId, key, Api.statusBody(status));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    }
}
