package io.ferry.pldm.component;

import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.pldm.codec.IbmFileTypes;
import io.ferry.pldm.handler.LidHandler;
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
 * LIDs (file types 1 LID_PERM and 2 LID_TEMP): code-update images under {@code base/perm} and {@code base/temp}.
 * Registered as {@link FileTypeHandler} services (the whiteboard the transfer service tracks) with
 * {@value FileTypeHandler#FILE_TYPE_PROPERTY}, {@value HandlerServices#NAME_PROPERTY} and
 * {@value HandlerServices#BASE_DIRECTORY_PROPERTY}. Configuration PID {@value LidHandlerConfig#PID};
 * checks and life cycle in {@link HandlerServices}.
 *
 * <p><b>Threading:</b> DS calls the life-cycle methods one at a time; the handlers themselves are
 * called by the transfer service on its event-loop thread only.
 */
@Component(service = {}, immediate = true, configurationPid = LidHandlerConfig.PID)
@Designate(ocd = LidHandlerConfig.class)
public final class LidHandlerComponent {
    private final HandlerServices services = new HandlerServices("LID handler", "lid", LidHandlerConfig.MAX_SIZE_DEFAULT,
            LidHandlerConfig.MAX_SIZE_LIMIT, LidHandlerComponent::create);

    /** Makes the handlers under {@code base}. */
    static List<HandlerServices.Made> create(Path base, long maxSize) throws IOException {
        Path perm = base.resolve("perm");
        Path temp = base.resolve("temp");
        return List.of(new HandlerServices.Made(new LidHandler(IbmFileTypes.LID_PERM, perm, maxSize), perm),
                new HandlerServices.Made(new LidHandler(IbmFileTypes.LID_TEMP, temp, maxSize), temp));
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
