package io.ferry.pldm.codec;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Flyweight over the IBM file attribute table carried by GetFileTable: entries of
 * <pre>
 *   u32 file_handle, u16 file_name_length, u8 file_name[file_name_length], u32 file_size, u32 file_traits
 * </pre>
 * back to back, then 0..3 zero bytes padding the entries to a multiple of 4, then a {@code u32}
 * CRC-32 over entries and padding (openbmc/pldm's {@code FileTable}). All little-endian.
 *
 * <p><b>Reading:</b> {@link #wrap} the table bytes, {@link #validate()}, then walk the entries with
 * {@link #firstEntry()} / {@link #nextEntry(int)} or look one up with {@link #findEntry(long)}; an
 * entry is named by the buffer index of its first byte. Walking is bounds-checked even on a table
 * that failed validation.
 *
 * <p><b>Writing:</b> {@link #wrapForWrite}, {@link #appendEntry} per file, then {@link #finish()}
 * pads and appends the CRC; the flyweight then reads the table it wrote.
 *
 * <p>Not thread-safe: one thread at a time. Allocates nothing.
 */
public final class FileAttributeTable {
    /** Bytes of an entry besides its name. */
    public static final int ENTRY_FIXED_LENGTH = 14;
    public static final int ENTRY_HANDLE_OFFSET = 0;
    public static final int ENTRY_NAME_LENGTH_OFFSET = 4;
    public static final int ENTRY_NAME_OFFSET = 6;
    /** The table is padded to this many bytes before the CRC. */
    public static final int PAD_WIDTH = 4;
    public static final int CRC_LENGTH = 4;

    private ByteBuffer buffer;
    private int index;
    /** Table length (entries, padding, CRC); while writing, the bytes of entries written so far. */
    private int length;
    private int capacity;
    private boolean writing;

    /**
     * Wraps a complete table (entries, padding, CRC) for reading.
     *
     * @throws IndexOutOfBoundsException if the region is not inside the buffer's limit
     */
    public FileAttributeTable wrap(ByteBuffer buffer, int index, int length) {
        Objects.checkFromIndexSize(index, length, buffer.limit());
        this.buffer = buffer;
        this.index = index;
        this.length = length;
        this.capacity = length;
        this.writing = false;
        return this;
    }

    /**
     * Wraps a free region to write a table into.
     *
     * @throws IndexOutOfBoundsException if the region is not inside the buffer's limit
     */
    public FileAttributeTable wrapForWrite(ByteBuffer buffer, int index, int capacity) {
        Objects.checkFromIndexSize(index, capacity, buffer.limit());
        this.buffer = buffer;
        this.index = index;
        this.length = 0;
        this.capacity = capacity;
        this.writing = true;
        return this;
    }

    /** Index of the table's first byte. */
    public int index() {
        return index;
    }

    /** Length of the table (while writing: of the entries written so far). */
    public int length() {
        return length;
    }

    /** Bytes covered by the CRC: entries and padding. */
    public int dataLength() {
        return length - CRC_LENGTH;
    }

    /**
     * Checks the table's structure and CRC.
     *
     * @return {@link CompletionCodes#SUCCESS}; {@link CompletionCodes#ERROR_INVALID_LENGTH} when
     *         the entries, padding and CRC do not add up (an entry running past the end, more than 3
     *         bytes of padding, a total that is not a multiple of 4);
     *         {@link CompletionCodes#ERROR_INVALID_DATA} for a CRC mismatch
     */
    public int validate() {
        if (writing || length < CRC_LENGTH || length % PAD_WIDTH != 0) {
            return CompletionCodes.ERROR_INVALID_LENGTH;
        }
        int end = dataLength();
        int p = 0;
        while (end - p >= ENTRY_FIXED_LENGTH) {
            int entryLength = ENTRY_FIXED_LENGTH + LittleEndian.u16(buffer, index + p + ENTRY_NAME_LENGTH_OFFSET);
            if (entryLength > end - p) {
                return CompletionCodes.ERROR_INVALID_LENGTH;
            }
            p += entryLength;
        }
        if (end - p >= PAD_WIDTH) {
            return CompletionCodes.ERROR_INVALID_LENGTH;
        }
        return crcMatches() ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_DATA;
    }

    /** The CRC-32 carried in the last 4 bytes (0 for a region shorter than that). */
    public long crc() {
        return length < CRC_LENGTH ? 0 : LittleEndian.u32(buffer, index + dataLength());
    }

    public boolean crcMatches() {
        return length >= CRC_LENGTH && crc() == Crc32.compute(buffer, index, dataLength());
    }

    /** Index of the first entry, or -1 when the table has none (or is malformed there). */
    public int firstEntry() {
        return entryFits(index) ? index : -1;
    }

    /** Index of the entry after {@code entryIndex}, or -1 after the last. */
    public int nextEntry(int entryIndex) {
        int next = entryIndex + ENTRY_FIXED_LENGTH + entryNameLength(entryIndex);
        return entryFits(next) ? next : -1;
    }

    /** Number of entries. */
    public int entryCount() {
        int count = 0;
        for (int e = firstEntry(); e >= 0; e = nextEntry(e)) {
            count++;
        }
        return count;
    }

    /** Index of the entry with this file handle, or -1 (the responder answers 0x86 then). */
    public int findEntry(long fileHandle) {
        for (int e = firstEntry(); e >= 0; e = nextEntry(e)) {
            if (entryHandle(e) == fileHandle) {
                return e;
            }
        }
        return -1;
    }

    public long entryHandle(int entryIndex) {
        return LittleEndian.u32(buffer, entryIndex + ENTRY_HANDLE_OFFSET);
    }

    public int entryNameLength(int entryIndex) {
        return LittleEndian.u16(buffer, entryIndex + ENTRY_NAME_LENGTH_OFFSET);
    }

    /** Index in the buffer of the entry's first name byte. */
    public int entryNameIndex(int entryIndex) {
        return entryIndex + ENTRY_NAME_OFFSET;
    }

    public long entrySize(int entryIndex) {
        return LittleEndian.u32(buffer, entryIndex + ENTRY_NAME_OFFSET + entryNameLength(entryIndex));
    }

    public long entryTraits(int entryIndex) {
        return LittleEndian.u32(buffer, entryIndex + ENTRY_NAME_OFFSET + entryNameLength(entryIndex) + 4);
    }

    /** The entry's name as a string (ISO-8859-1); allocates, for logs and tests. */
    public String entryName(int entryIndex) {
        int n = entryNameLength(entryIndex);
        char[] chars = new char[n];
        for (int i = 0; i < n; i++) {
            chars[i] = (char) (buffer.get(entryNameIndex(entryIndex) + i) & 0xFF);
        }
        return new String(chars);
    }

    private boolean entryFits(int entryIndex) {
        int end = index + (writing ? length : dataLength());
        if (end - entryIndex < ENTRY_FIXED_LENGTH) {
            return false;
        }
        return ENTRY_FIXED_LENGTH + LittleEndian.u16(buffer, entryIndex + ENTRY_NAME_LENGTH_OFFSET) <= end - entryIndex;
    }

    // ---- writing ---------------------------------------------------------------------------------

    /**
     * Appends an entry whose name is {@code nameLength} bytes of {@code name} from {@code nameIndex}.
     *
     * @return the bytes of entries written so far, {@link PldmCodec#INSUFFICIENT_CAPACITY} if the
     *         entry plus the worst-case padding and CRC would not fit, {@link PldmCodec#INVALID_ARGUMENT}
     *         for values that do not fit their fields or when not wrapped for writing
     */
    public int appendEntry(long fileHandle, ByteBuffer name, int nameIndex, int nameLength, long fileSize,
            long traits) {
        int rc = checkEntry(fileHandle, nameLength, fileSize, traits);
        if (rc < 0) {
            return rc;
        }
        buffer.put(index + length + ENTRY_NAME_OFFSET, name, nameIndex, nameLength);
        return putEntryFields(fileHandle, nameLength, fileSize, traits);
    }

    /** Appends an entry whose name is all of {@code name}; see the other overload. */
    public int appendEntry(long fileHandle, byte[] name, long fileSize, long traits) {
        int rc = checkEntry(fileHandle, name.length, fileSize, traits);
        if (rc < 0) {
            return rc;
        }
        buffer.put(index + length + ENTRY_NAME_OFFSET, name);
        return putEntryFields(fileHandle, name.length, fileSize, traits);
    }

    private int checkEntry(long fileHandle, int nameLength, long fileSize, long traits) {
        if (!writing || nameLength < 0 || nameLength > 0xFFFF || !fitsU32(fileHandle) || !fitsU32(fileSize)
                || !fitsU32(traits)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        long needed = (long) length + ENTRY_FIXED_LENGTH + nameLength;
        return needed + (PAD_WIDTH - 1) + CRC_LENGTH > capacity ? PldmCodec.INSUFFICIENT_CAPACITY : 0;
    }

    private int putEntryFields(long fileHandle, int nameLength, long fileSize, long traits) {
        int p = index + length;
        LittleEndian.putU32(buffer, p + ENTRY_HANDLE_OFFSET, fileHandle);
        LittleEndian.putU16(buffer, p + ENTRY_NAME_LENGTH_OFFSET, nameLength);
        LittleEndian.putU32(buffer, p + ENTRY_NAME_OFFSET + nameLength, fileSize);
        LittleEndian.putU32(buffer, p + ENTRY_NAME_OFFSET + nameLength + 4, traits);
        length += ENTRY_FIXED_LENGTH + nameLength;
        return length;
    }

    /**
     * Pads the entries to a multiple of 4 with zeros and appends the CRC-32; afterwards the
     * flyweight reads the finished table.
     *
     * @return the table's total length, or {@link PldmCodec#INVALID_ARGUMENT} when not writing
     */
    public int finish() {
        if (!writing) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int pad = (PAD_WIDTH - length % PAD_WIDTH) % PAD_WIDTH;
        LittleEndian.zero(buffer, index + length, pad);
        int data = length + pad;
        LittleEndian.putU32(buffer, index + data, Crc32.compute(buffer, index, data));
        length = data + CRC_LENGTH;
        writing = false;
        return length;
    }

    private static boolean fitsU32(long v) {
        return v >= 0 && v <= 0xFFFF_FFFFL;
    }
}
