package io.ferry.pldm.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the {@code shm} DMA engine (PID {@value #PID}). */
@ObjectClassDefinition(id = ShmDmaEngineConfig.PID, name = "Ferry PLDM shm DMA engine",
        description = "Host memory emulated by a shared-memory window file that the remote-terminus simulator maps too; a host address is an offset into it.")
@interface ShmDmaEngineConfig {
    String PID = "io.ferry.pldm.dma.shm";
    long WINDOW_SIZE_DEFAULT = 64L * 1024 * 1024;
    long WINDOW_SIZE_MIN = 4096;
    /** 256 KiB: one loop turn copies one slice of every transfer in flight, so the slice bounds how long
     *  a small request waits behind many transfers (64 x 256 KiB per turn), at little cost per transfer. */
    int SLICE_SIZE_DEFAULT = 256 * 1024;
    int SLICE_SIZE_MIN = 4096;
    int SLICE_SIZE_MAX = 64 * 1024 * 1024;

    @AttributeDefinition(name = "Enabled", description = "Registers the engine; false removes it (transfers through it fail with -ESHUTDOWN).")
    boolean enabled() default true;

    @AttributeDefinition(name = "Window directory", required = false,
            description = "Absolute directory of the window file (created 0600, deleted when the engine stops). Empty: /dev/shm where writable, else java.io.tmpdir.")
    String windowDirectory() default "";

    @AttributeDefinition(name = "Window size (bytes)", min = "4096", max = "2147483640",
            description = "Size of the emulated host memory; sparse, memory is used only where the host writes.")
    long windowSize() default WINDOW_SIZE_DEFAULT;

    @AttributeDefinition(name = "Slice size (bytes)", min = "4096", max = "67108864",
            description = "Bytes copied per event-loop turn, so that a long transfer shares its loop with everything else.")
    int sliceSize() default SLICE_SIZE_DEFAULT;
}
