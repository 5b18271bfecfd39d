package io.ferry.pldm.component;

import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.pldm.codec.IbmFileTypes;
import io.ferry.pldm.handler.CertificateHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Certificates: file type 4 (CSR, read-only to the host, from {@code base/csr}), 5 (signed, written to {@code base/signed}) and 6 (root, written to {@code base/root}); written certificates are validated before they are accepted.
 * Registered as {@link FileTypeHandler} services (the whiteboard the transfer service tracks) with
 * {@value FileTypeHandler#FILE_TYPE_PROPERTY}, {@value HandlerServices#NAME_PROPERTY} and
 * {@value HandlerServices#BASE_DIRECTORY_PROPERTY}. Configuration PID {@value CertificateHandlerConfig#PID};
 * checks and life cycle in {@link HandlerServices}.
 *
 * <p><b>Threading:</b> DS calls the life-cycle methods one at a time; the handlers themselves are
 * called by the transfer service on its event-loop thread only.
 */
@Component(service = {}, immediate = true, configurationPid = CertificateHandlerConfig.PID)
@Designate(ocd = CertificateHandlerConfig.class)
public final class CertificateHandlerComponent {
    private final HandlerServices services = new HandlerServices("certificate handler", "certificates", CertificateHandlerConfig.MAX_SIZE_DEFAULT,
            CertificateHandlerConfig.MAX_SIZE_LIMIT, CertificateHandlerComponent::create);

    /** Makes the handlers under {@code base}. */
    static List<HandlerServices.Made> create(Path base, long maxSize) throws IOException {
        Path signed = base.resolve("signed");
        Path root = base.resolve("root");
        return List.of(
                new HandlerServices.Made(new CertificateHandler(IbmFileTypes.CERT_SIGNING_REQUEST, base, maxSize), base),
                new HandlerServices.Made(new CertificateHandler(IbmFileTypes.SIGNED_CERT, signed, maxSize), signed),
                new HandlerServices.Made(new CertificateHandler(IbmFileTypes.ROOT_CERT, root, maxSize), root));
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        services.activate(context, properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        services.modified(properties);
    }

    @Deactivate
    void deactivate() {
        services.deactivate();
    }

    /** @return the life cycle, for tests and status output. */
    HandlerServices services() {
        return services;
    }
}
