package io.ferry.pldm.console;

import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.api.pldm.TransferService;
import io.ferry.pldm.component.LocalTerminals;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@code pldm:} commands:
 * <ul>
 *   <li>{@code pldm:transfers} — DMA transfers in flight, each with a progress bar, and the counters;</li>
 *   <li>{@code pldm:handlers} — the file-type handlers served, with their base directories;</li>
 *   <li>{@code pldm:files} — the files under those directories;</li>
 *   <li>{@code pldm:read <type> <handle> <length> [saveTo]} — the host (an in-node terminus
 *       simulator) reads a file from the node by DMA;</li>
 *   <li>{@code pldm:write <type> <handle> <file | size>} — the host writes a file (or a pattern of
 *       that size, such as {@code 8M}) to the node by DMA.</li>
 * </ul>
 * A Gogo function by service properties, so Felix's Gogo and Karaf's shell both run it; output goes
 * to {@code System.out}, which both shells redirect to the calling session. Reads and writes draw a
 * text progress bar for transfers of 1 MiB and more.
 *
 * <p><b>Threading:</b> commands run on the shell's thread and wait there (bounded); the handler
 * bind methods may run on any thread (a concurrent map).
 */
@Component(service = PldmCommands.class, property = {
        "osgi.command.scope=pldm",
        "osgi.command.function=transfers",
        "osgi.command.function=handlers",
        "osgi.command.function=files",
        "osgi.command.function=read",
        "osgi.command.function=write"
})
public final class PldmCommands {
    @Reference
    TransferService service;

    @Reference
    LocalTerminals terminals;

    private final Map<FileTypeHandler, Map<String, Object>> handlerProperties = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHandler(FileTypeHandler handler, Map<String, Object> properties) {
        handlerProperties.put(handler, new HashMap<>(properties));
    }

    void removeHandler(FileTypeHandler handler) {
        handlerProperties.remove(handler);
    }

    private PldmConsole console() {
        return new PldmConsole(service, terminals, System.out);
    }

    private List<Map<String, Object>> handlerProperties() {
        List<Map<String, Object>> list = new ArrayList<>(handlerProperties.values());
        list.sort((a, b) -> String.valueOf(a.get(FileTypeHandler.FILE_TYPE_PROPERTY))
                .compareTo(String.valueOf(b.get(FileTypeHandler.FILE_TYPE_PROPERTY))));
        return list;
    }

    /** {@code pldm:transfers}. */
    public void transfers() {
        console().transfers();
        System.out.flush();
    }

    /** {@code pldm:handlers}. */
    public void handlers() {
        console().handlers(handlerProperties());
        System.out.flush();
    }

    /** {@code pldm:files}. */
    public void files() {
        console().files(handlerProperties());
        System.out.flush();
    }

    /** {@code pldm:read <type> <handle> <length>}. */
    public void read(int fileType, long handle, String length) throws InterruptedException {
        read(fileType, handle, length, null);
    }

    /** {@code pldm:read <type> <handle> <length> <saveTo>}. */
    public void read(int fileType, long handle, String length, String saveTo) throws InterruptedException {
        try {
            console().read(fileType, handle, length, saveTo);
        } catch (IOException e) {
            System.out.println("pldm:read failed: " + e.getMessage());
        }
        System.out.flush();
    }

    /** {@code pldm:write <type> <handle> <file | size>}. */
    public void write(int fileType, long handle, String source) throws InterruptedException {
        try {
            console().write(fileType, handle, source);
        } catch (IOException e) {
            System.out.println("pldm:write failed: " + e.getMessage());
        }
        System.out.flush();
    }
}
