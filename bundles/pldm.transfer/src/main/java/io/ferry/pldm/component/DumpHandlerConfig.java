package io.ferry.pldm.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the dump handler (PID {@value #PID}). */
@ObjectClassDefinition(id = DumpHandlerConfig.PID, name = "Ferry PLDM dump handler",
        description = "Dumps (file type 3): one dump at a time, streamed into base/incoming and moved to base/store when complete.")
@interface DumpHandlerConfig {
    String PID = "io.ferry.pldm.handler.dump";
    long MAX_SIZE_DEFAULT = 0xFFFF_FFFFL;
    long MAX_SIZE_LIMIT = 0xFFFF_FFFFL;

    @AttributeDefinition(name = "Enabled", description = "Registers the handler; false leaves the file type unserved (the host gets 0x89).")
    boolean enabled() default true;

    @AttributeDefinition(name = "Base directory", required = false,
            description = "Absolute directory the files live under (created 0700). Empty: ${ferry.data}/pldm/dump, else the bundle's data area pldm/dump.")
    String baseDirectory() default "";

    @AttributeDefinition(name = "Largest file (bytes)", min = "1", max = "" + MAX_SIZE_LIMIT,
            description = "Writes beyond this size are refused with 0x87 (data out of range).")
    long maxSize() default MAX_SIZE_DEFAULT;
}
