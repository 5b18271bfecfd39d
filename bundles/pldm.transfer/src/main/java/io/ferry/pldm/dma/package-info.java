/**
 * DMA engines: how the bytes of a ReadFileIntoMemory / WriteFileFromMemory (and their by-type
 * forms) move between a local file or buffer and the host's memory, without blocking an event loop.
 *
 * <p>The SPI is {@link io.ferry.pldm.dma.DmaEngine}: {@code start} a {@link io.ferry.pldm.dma.DmaRequest}
 * on an {@link io.ferry.api.event.EventCenter}, get a {@link io.ferry.pldm.dma.DmaOperation} back,
 * and a {@link io.ferry.pldm.dma.DmaCompletion} exactly once on the center's thread. Requests are
 * split by {@link io.ferry.pldm.dma.DmaPlan} into chunks of at most the engine's maximum (8 MiB - 4 KiB
 * as in openbmc/pldm), each a non-zero multiple of 16. Two engines: {@link io.ferry.pldm.dma.ShmDmaEngine}
 * (the host window emulated by a shared-memory file that the terminus simulator maps too) and
 * {@link io.ferry.pldm.dma.XdmaDmaEngine} ({@code /dev/aspeed-xdma} through JNA direct mapping,
 * behind the {@link io.ferry.pldm.dma.XdmaDevice} seam).
 *
 * <p><b>Threading:</b> {@code start}, every {@code DmaOperation} method and every completion run on
 * the operation's center thread; {@code DmaEngine.close()}, {@code openOperations()}, {@code name()}
 * and the availability methods may be called from any thread. Private to the bundle.
 */
package io.ferry.pldm.dma;
