package io.ferry.pldm.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the PEL handler (PID {@value #PID}). */
@ObjectClassDefinition(id = PelHandlerConfig.PID, name = "Ferry PLDM PEL handler",
        description = "PEL (file type 0): the host writes platform event logs, stored atomically under base/store.")
@interface PelHandlerConfig {
    String PID = "io.ferry.pldm.handler.pel";
    long MAX_SIZE_DEFAULT = 64 * 1024;
    long MAX_SIZE_LIMIT = 1024 * 1024;

    @AttributeDefinition(name = "Enabled", description = "Registers the handler; false leaves the file type unserved (the host gets 0x89).")
    boolean enabled() default true;

    @AttributeDefinition(name = "Base directory", required = false,
            description = "Absolute directory the files live under (created 0700). Empty: ${ferry.data}/pldm/pel, else the bundle's data area pldm/pel.")
    String baseDirectory() default "";

    @AttributeDefinition(name = "Largest file (bytes)", min = "1", max = "" + MAX_SIZE_LIMIT,
            description = "Writes beyond this size are refused with 0x87 (data out of range).")
    long maxSize() default MAX_SIZE_DEFAULT;
}
