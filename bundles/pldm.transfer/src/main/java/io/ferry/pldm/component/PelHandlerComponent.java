package io.ferry.pldm.component;

import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.pldm.handler.PelHandler;
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
 * PEL (file type 0): the host writes platform event logs; each is stored atomically under {@code base/store}.
 * Registered as {@link FileTypeHandler} services (the whiteboard the transfer service tracks) with
 * {@value FileTypeHandler#FILE_TYPE_PROPERTY}, {@value HandlerServices#NAME_PROPERTY} and
 * {@value HandlerServices#BASE_DIRECTORY_PROPERTY}. Configuration PID {@value PelHandlerConfig#PID};
 * checks and life cycle in {@link HandlerServices}.
 *
 * <p><b>Threading:</b> DS calls the life-cycle methods one at a time; the handlers themselves are
 * called by the transfer service on its event-loop thread only.
 */
@Component(service = {}, immediate = true, configurationPid = PelHandlerConfig.PID)
@Designate(ocd = PelHandlerConfig.class)
public final class PelHandlerComponent {
    private final HandlerServices services = new HandlerServices("PEL handler", "pel", PelHandlerConfig.MAX_SIZE_DEFAULT,
            PelHandlerConfig.MAX_SIZE_LIMIT, PelHandlerComponent::create);

    /** Makes the handlers under {@code base}. */
    static List<HandlerServices.Made> create(Path base, long maxSize) throws IOException {
        return List.of(new HandlerServices.Made(new PelHandler(base, maxSize), base));
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
