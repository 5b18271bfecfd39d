package io.ferry.pldm.component;

/**
 * Service properties of the {@link io.ferry.pldm.dma.DmaEngine} services this bundle registers
 * (a private SPI: only components of this bundle use them). Constants only.
 */
final class DmaEngineProperties {
    /** The engine's name: {@code "shm"} or {@code "xdma"}. */
    static final String NAME = "ferry.pldm.dma";
    /** shm only: the host-memory window file, which the remote-terminus simulator attaches to. */
    static final String WINDOW = "ferry.pldm.dma.window";
    /** shm only: the window's size in bytes (a {@code Long}). */
    static final String WINDOW_SIZE = "ferry.pldm.dma.window.size";

    private DmaEngineProperties() {
    }
}
