package io.ferry.pldm.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the {@code xdma} DMA engine (PID {@value #PID}). */
@ObjectClassDefinition(id = XdmaDmaEngineConfig.PID, name = "Ferry PLDM xdma DMA engine",
        description = "The Aspeed BMC's XDMA engine through /dev/aspeed-xdma; registered only where that device exists.")
@interface XdmaDmaEngineConfig {
    String PID = "io.ferry.pldm.dma.xdma";

    @AttributeDefinition(name = "Enabled", description = "Registers the engine where /dev/aspeed-xdma exists; false never does.")
    boolean enabled() default true;
}
