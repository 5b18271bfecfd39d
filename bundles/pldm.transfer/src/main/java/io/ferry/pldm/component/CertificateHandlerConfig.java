package io.ferry.pldm.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the certificate handler (PID {@value #PID}). */
@ObjectClassDefinition(id = CertificateHandlerConfig.PID, name = "Ferry PLDM certificate handler",
        description = "Certificates (file types 4 CSR, read-only from base/csr; 5 signed and 6 root, written to base/signed and base/root and validated).")
@interface CertificateHandlerConfig {
    String PID = "io.ferry.pldm.handler.certificates";
    long MAX_SIZE_DEFAULT = 64 * 1024;
    long MAX_SIZE_LIMIT = 64 * 1024;

    @AttributeDefinition(name = "Enabled", description = "Registers the handler; false leaves the file type unserved (the host gets 0x89).")
    boolean enabled() default true;

    @AttributeDefinition(name = "Base directory", required = false,
            description = "Absolute directory the files live under (created 0700). Empty: ${ferry.data}/pldm/certificates, else the bundle's data area pldm/certificates.")
    String baseDirectory() default "";

    @AttributeDefinition(name = "Largest file (bytes)", min = "1", max = "" + MAX_SIZE_LIMIT,
            description = "Writes beyond this size are refused with 0x87 (data out of range).")
    long maxSize() default MAX_SIZE_DEFAULT;
}
