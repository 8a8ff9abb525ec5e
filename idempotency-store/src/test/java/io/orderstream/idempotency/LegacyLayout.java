package io.orderstream.idempotency;

import java.util.HexFormat;

/**
 * Golden bytes of the store as the version before format 2 wrote it (commit b51b4cd, captured by
 * running that code): a record in format 1 (its headers Content-Type, Order-Stream-Outcome and
 * Location, its body the order) and its index entry beside it. Never regenerate these: they are
 * what users' state directories and changelogs hold.
 */
final class LegacyLayout {

    /** 0x01 | id("acme/o-1", "k1"). */
    static final byte[] RECORD_KEY = hex("010000000861636d652f6f2d316b31");
    /** Format 1: createdAt 2026-11-26T10:00:00Z, fingerprint "fp1", status 201, the placed order. */
    static final byte[] RECORD_VALUE = hex(""
            + "0100000001a2174c3500000001a21c7291000000000366703100c900030000000c436f6e74656e742d54797065000000"
            + "106170706c69636174696f6e2f6a736f6e000000144f726465722d53747265616d2d4f7574636f6d6500000007415050"
            + "4c494544000000084c6f636174696f6e000000122f6170692f76312f6f72646572732f6f2d31000000ec000000ec7b22"
            + "6f726465724964223a226f2d31222c22737461747573223a2250454e44494e47222c2276657273696f6e223a312c2263"
            + "7573746f6d65724964223a22637573742d31222c2263757272656e6379223a22455552222c22746f74616c4d696e6f72"
            + "223a323530302c226c696e6573223a5b7b22736b75223a22534b552d31222c227175616e74697479223a322c22756e69"
            + "7450726963654d696e6f72223a313235307d5d2c22637265617465644174223a22323032362d31312d32365431303a30"
            + "303a30305a222c22757064617465644174223a22323032362d31312d32365431303a30303a30305a227d");
    /** 0x02 | expiresAt | id. */
    static final byte[] INDEX_KEY = hex("02000001a21c7291000000000861636d652f6f2d316b31");
    static final long EXPIRES_AT = 1795773600000L;

    private LegacyLayout() {
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
