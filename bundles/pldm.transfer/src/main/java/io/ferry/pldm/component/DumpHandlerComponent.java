package io.ferry.pldm.component;

import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.pldm.handler.DumpHandler;
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
 * Dumps (file type 3): one dump at a time, streamed into {@code base/incoming} and moved to {@code base/store} when complete.
 * Registered as {@link FileTypeHandler} services (the whiteboard the transfer service tracks) with
 * {@value FileTypeHandler#FILE_TYPE_PROPERTY}, {@value HandlerServices#NAME_PROPERTY} and
 * {@value HandlerServices#BASE_DIRECTORY_PROPERTY}. Configuration PID {@value DumpHandlerConfig#PID};
 * checks and life cycle in {@link HandlerServices}.
 *
 * <p><b>Threading:</b> DS calls the life-cycle methods one at a time; the handlers themselves are
 * called by the transfer service on its event-loop thread only.
 */
@Component(service = {}, immediate = true, configurationPid = DumpHandlerConfig.PID)
@Designate(ocd = DumpHandlerConfig.class)
public final class DumpHandlerComponent {
    private final HandlerServices services = new HandlerServices("dump handler", "dump", DumpHandlerConfig.MAX_SIZE_DEFAULT,
            DumpHandlerConfig.MAX_SIZE_LIMIT, DumpHandlerComponent::create);

    /** Makes the handlers under {@code base}. */
    static List<HandlerServices.Made> create(Path base, long maxSize) throws IOException {
        return List.of(new HandlerServices.Made(new DumpHandler(base, maxSize), base));
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
