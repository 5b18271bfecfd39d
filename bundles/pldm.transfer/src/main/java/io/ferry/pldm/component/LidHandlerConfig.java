package io.ferry.pldm.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the LID handler (PID {@value #PID}). */
@ObjectClassDefinition(id = LidHandlerConfig.PID, name = "Ferry PLDM LID handler",
        description = "LIDs (file types 1 LID_PERM and 2 LID_TEMP): code-update staging under base/perm and base/temp.")
@interface LidHandlerConfig {
    String PID = "io.ferry.pldm.handler.lid";
    long MAX_SIZE_DEFAULT = 64L * 1024 * 1024;
    long MAX_SIZE_LIMIT = 0xFFFF_FFFFL;

    @AttributeDefinition(name = "Enabled", description = "Registers the handler; false leaves the file type unserved (the host gets 0x89).")
    boolean enabled() default true;

    @AttributeDefinition(name = "Base directory", required = false,
            description = "Absolute directory the files live under (created 0700). Empty: ${ferry.data}/pldm/lid, else the bundle's data area pldm/lid.")
    String baseDirectory() default "";

    @AttributeDefinition(name = "Largest file (bytes)", min = "1", max = "" + MAX_SIZE_LIMIT,
            description = "Writes beyond this size are refused with 0x87 (data out of range).")
    long maxSize() default MAX_SIZE_DEFAULT;
}
