package io.ferry.pldm.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of the PLDM transfer service (PID {@value #PID}). */
@ObjectClassDefinition(id = TransferServiceConfig.PID, name = "Ferry PLDM transfer service",
        description = "The PLDM responder and asynchronous file transfer engine: IBM OEM file I/O inline and by DMA, over the configured MCTP endpoint.")
@interface TransferServiceConfig {
    String PID = "io.ferry.pldm.transfer";
    int TID_DEFAULT = 1;
    long TIMEOUT_MILLIS_DEFAULT = 20_000;
    long TIMEOUT_MILLIS_MIN = 100;
    long TIMEOUT_MILLIS_MAX = 600_000;
    int MAX_TRANSFERS_DEFAULT = 256;
    int MAX_TRANSFERS_MAX = 4096;
    int MAX_INLINE_LENGTH_DEFAULT = 60 * 1024;
    int MAX_INLINE_LENGTH_MAX = 60 * 1024;
    String DMA_ENGINE_DEFAULT = "auto";

    @AttributeDefinition(name = "Terminus id", min = "1", max = "254", description = "The TID answered to GetTID.")
    int tid() default TID_DEFAULT;

    @AttributeDefinition(name = "DMA timeout (ms)", min = "100", max = "600000",
            description = "How long one DMA transfer may run; then it is cancelled, the host is answered ERROR and everything it held is freed (the anchor's 20 s).")
    long timeoutMillis() default TIMEOUT_MILLIS_DEFAULT;

    @AttributeDefinition(name = "Most DMA transfers at once", min = "1", max = "4096",
            description = "More are answered ERROR_NOT_READY.")
    int maxTransfers() default MAX_TRANSFERS_DEFAULT;

    @AttributeDefinition(name = "Largest inline chunk (bytes)", min = "16", max = "61440",
            description = "Data bytes one ReadFile/ReadFileByType answer carries and one WriteFile/WriteFileByType may carry.")
    int maxInlineLength() default MAX_INLINE_LENGTH_DEFAULT;

    @AttributeDefinition(name = "File table directory", required = false,
            description = "Absolute directory whose regular files make the GetFileTable table. Empty: ${ferry.data}/pldm/table, else the bundle's data area pldm/table.")
    String fileTableDirectory() default "";

    @AttributeDefinition(name = "DMA engine",
            description = "auto: xdma where /dev/aspeed-xdma exists, else shm; shm or xdma: only that engine (the service waits for it).",
            options = {@Option(value = "auto", label = "auto"), @Option(value = "shm", label = "shm"),
                    @Option(value = "xdma", label = "xdma")})
    String dmaEngine() default DMA_ENGINE_DEFAULT;
}
