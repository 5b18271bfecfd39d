package io.ferry.api.msgr;

/**
 * Who a messenger is (Ceph's {@code entity_name_t}): a type ({@link #TYPE_MON}, {@link #TYPE_CLIENT},
 * ...) and a number. Immutable; any thread. On the wire: u8 type, le64 num.
 *
 * @param type one of the {@code TYPE_*} constants (0..255)
 * @param num the instance number; -1 ({@link #NEW}) for "not yet assigned"
 */
public record EntityName(int type, long num) {
    public static final int TYPE_MON = 0x01;
    public static final int TYPE_MDS = 0x02;
    public static final int TYPE_OSD = 0x04;
    public static final int TYPE_CLIENT = 0x08;
    public static final int TYPE_MGR = 0x10;
    public static final int TYPE_AUTH = 0x20;
    public static final int TYPE_ANY = 0xFF;
    /** The number of a client that has not been given one ({@code -1} as Ceph's {@code NEW}). */
    public static final long NEW = -1L;

    public EntityName {
        if (type < 0 || type > 0xFF) {
            throw new IllegalArgumentException("entity type must fit in a byte: " + type);
        }
    }

    public static EntityName client(long num) {
        return new EntityName(TYPE_CLIENT, num);
    }

    public static EntityName mon(long num) {
        return new EntityName(TYPE_MON, num);
    }

    public static EntityName osd(long num) {
        return new EntityName(TYPE_OSD, num);
    }

    /** @return Ceph's short name of a type: {@code mon}, {@code osd}, {@code client}, ... */
    public static String typeName(int type) {
        switch (type) {
            case TYPE_MON: return "mon";
            case TYPE_MDS: return "mds";
            case TYPE_OSD: return "osd";
            case TYPE_CLIENT: return "client";
            case TYPE_MGR: return "mgr";
            case TYPE_AUTH: return "auth";
            case TYPE_ANY: return "any";
            default: return "type" + type;
        }
    }

    /** @return {@code client.4123} or {@code mon.?} for {@link #NEW}. */
    @Override
    public String toString() {
        return typeName(type) + "." + (num == NEW ? "?" : Long.toString(num));
    }
}
