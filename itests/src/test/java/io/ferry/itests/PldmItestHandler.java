package io.ferry.itests;

import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.api.pldm.OpenResult;
import io.ferry.api.pldm.PldmCompletionCodes;
import io.ferry.api.pldm.Resolution;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A file-type handler as a third party would ship it: file type {@value #TYPE}, files named by
 * decimal handle in the bundle's data area, up to 64 MiB. {@link PldmInFelixIT} packs this
 * class (and its {@link Activator}) into a bundle of its own at test time and installs it into the
 * running framework, so that the type appears and disappears with that bundle. Called by the
 * transfer service on its loop only; does only metadata calls and opens.
 */
public final class PldmItestHandler implements FileTypeHandler {
    public static final int TYPE = 0x30;
    static final long MAX_SIZE = 64L << 20;

    private final Path dir;

    PldmItestHandler(Path dir) {
        this.dir = dir;
    }

    @Override
    public int fileType() {
        return TYPE;
    }

    @Override
    public String name() {
        return "ITEST";
    }

    @Override
    public Resolution resolve(long handle) {
        if (handle < 0 || handle > 0xFFFF_FFFFL) {
            return Resolution.refused(handle, PldmCompletionCodes.IBM_INVALID_FILE_HANDLE);
        }
        String name = Long.toString(handle);
        return Resolution.resolved(handle, this, name, dir.resolve(name));
    }

    @Override
    public int checkRange(Resolution r, long offset, long length, boolean forWrite) {
        if (r.owner() != this) {
            return PldmCompletionCodes.IBM_INVALID_FILE_HANDLE;
        }
        if (forWrite) {
            return offset + length > MAX_SIZE ? PldmCompletionCodes.IBM_DATA_OUT_OF_RANGE : PldmCompletionCodes.SUCCESS;
        }
        try {
            long size = Files.size(r.path());
            return offset >= size ? PldmCompletionCodes.IBM_DATA_OUT_OF_RANGE : PldmCompletionCodes.SUCCESS;
        } catch (IOException e) {
            return PldmCompletionCodes.IBM_INVALID_FILE_HANDLE;
        }
    }

    @Override
    public long clampLength(Resolution r, long offset, long length) {
        try {
            return Math.max(0, Math.min(length, Files.size(r.path()) - offset));
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public OpenResult openRead(Resolution r) {
        try {
            return OpenResult.opened(FileChannel.open(r.path(), StandardOpenOption.READ));
        } catch (IOException e) {
            return OpenResult.failed(PldmCompletionCodes.IBM_INVALID_FILE_HANDLE);
        }
    }

    @Override
    public OpenResult openWrite(Resolution r) {
        try {
            return OpenResult.opened(FileChannel.open(r.path(), StandardOpenOption.WRITE, StandardOpenOption.CREATE));
        } catch (IOException e) {
            return OpenResult.failed(PldmCompletionCodes.ERROR);
        }
    }

    @Override
    public int postTransfer(Resolution r, boolean toHost, long length) {
        return PldmCompletionCodes.SUCCESS;
    }

    /** Registers the handler while its bundle is active. */
    public static final class Activator implements BundleActivator {
        private ServiceRegistration<FileTypeHandler> registration;

        @Override
        public void start(BundleContext context) throws IOException {
            Path dir = context.getDataFile("files").toPath();
            Files.createDirectories(dir);
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(FileTypeHandler.FILE_TYPE_PROPERTY, TYPE);
            props.put("ferry.pldm.base.directory", dir.toString());
            registration = context.registerService(FileTypeHandler.class, new PldmItestHandler(dir), props);
        }

        @Override
        public void stop(BundleContext context) {
            registration.unregister();
        }
    }
}
