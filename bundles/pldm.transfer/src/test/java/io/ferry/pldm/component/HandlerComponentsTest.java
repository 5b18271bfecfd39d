package io.ferry.pldm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.pldm.handler.PelHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandlerComponentsTest {
    @TempDir
    Path tmp;

    private static Set<Integer> types(List<FakeBundleContext.Registered> live) {
        return live.stream().map(r -> (Integer) r.property(FileTypeHandler.FILE_TYPE_PROPERTY)).collect(Collectors.toSet());
    }

    @Test
    void pelHandlerRegistersTypeZeroUnderTheNodeDataDirectoryByDefault() throws Exception {
        FakeBundleContext fw = new FakeBundleContext(tmp.resolve("bundle-data")).property("ferry.data", tmp.resolve("data").toString());
        PelHandlerComponent c = new PelHandlerComponent();
        c.activate(fw.context(), Map.of());

        List<FakeBundleContext.Registered> live = fw.live(FileTypeHandler.class);
        assertEquals(1, live.size());
        FakeBundleContext.Registered r = live.get(0);
        assertEquals(0, r.property(FileTypeHandler.FILE_TYPE_PROPERTY));
        assertEquals("PEL", r.property(HandlerServices.NAME_PROPERTY));
        Path base = tmp.resolve("data/pldm/pel");
        assertEquals(base.toString(), r.property(HandlerServices.BASE_DIRECTORY_PROPERTY));
        assertTrue(r.service instanceof PelHandler);
        assertEquals(PelHandlerConfig.MAX_SIZE_DEFAULT, ((PelHandler) r.service).maxSize());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base.resolve("store"))));

        c.deactivate();
        assertTrue(fw.live(FileTypeHandler.class).isEmpty(), "deactivation unregisters the handler");
    }

    @Test
    void withoutFerryDataTheBundleDataAreaIsTheDefault() {
        FakeBundleContext fw = new FakeBundleContext(tmp.resolve("bundle-data"));
        DumpHandlerComponent c = new DumpHandlerComponent();
        c.activate(fw.context(), Map.of());
        assertEquals(tmp.resolve("bundle-data/pldm/dump").toString(),
                fw.live(FileTypeHandler.class).get(0).property(HandlerServices.BASE_DIRECTORY_PROPERTY));
        assertTrue(Files.isDirectory(tmp.resolve("bundle-data/pldm/dump/store")));
        c.deactivate();
    }

    @Test
    void lidAndCertificateComponentsRegisterEachOfTheirTypesInItsOwnDirectory() {
        FakeBundleContext fw = new FakeBundleContext(tmp);
        LidHandlerComponent lid = new LidHandlerComponent();
        CertificateHandlerComponent cert = new CertificateHandlerComponent();
        lid.activate(fw.context(), Map.of("baseDirectory", tmp.resolve("lid").toString()));
        cert.activate(fw.context(), Map.of("baseDirectory", tmp.resolve("cert").toString()));

        assertEquals(Set.of(1, 2, 4, 5, 6), types(fw.live(FileTypeHandler.class)));
        Set<Object> bases = fw.live(FileTypeHandler.class).stream()
                .map(r -> r.property(HandlerServices.BASE_DIRECTORY_PROPERTY)).collect(Collectors.toSet());
        assertEquals(5, bases.size(), "no two types share a directory: " + bases);
        assertTrue(Files.isDirectory(tmp.resolve("lid/perm/lids")));
        assertTrue(Files.isDirectory(tmp.resolve("lid/temp/staging")));
        assertTrue(Files.isDirectory(tmp.resolve("cert/csr")));
        assertTrue(Files.isDirectory(tmp.resolve("cert/signed/accepted")));
        assertTrue(Files.isDirectory(tmp.resolve("cert/root/incoming")));
        lid.deactivate();
        cert.deactivate();
        assertTrue(fw.live(FileTypeHandler.class).isEmpty());
    }

    @Test
    void aBadValueAtActivationStartsOnTheDefaults() {
        FakeBundleContext fw = new FakeBundleContext(tmp);
        PelHandlerComponent c = new PelHandlerComponent();
        c.activate(fw.context(), Map.of("maxSize", "lots"));
        assertEquals(1, fw.live(FileTypeHandler.class).size());
        assertEquals(PelHandlerConfig.MAX_SIZE_DEFAULT, c.services().settings().maxSize());
        c.deactivate();
    }

    @Test
    void aBadValueLaterIsRefusedAndTheRunningHandlerStays() {
        FakeBundleContext fw = new FakeBundleContext(tmp);
        PelHandlerComponent c = new PelHandlerComponent();
        c.activate(fw.context(), Map.of("maxSize", 4096));
        Object before = fw.live(FileTypeHandler.class).get(0).service;

        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("maxSize", 0), Map.of("maxSize", "2.7"),
                Map.of("maxSize", PelHandlerConfig.MAX_SIZE_LIMIT + 1), Map.of("baseDirectory", "relative"),
                Map.of("enabled", "perhaps"))) {
            c.modified(bad);
            assertEquals(1, fw.live(FileTypeHandler.class).size(), "after " + bad);
            assertSame(before, fw.live(FileTypeHandler.class).get(0).service, "after " + bad);
            assertEquals(4096, c.services().settings().maxSize());
        }
        assertEquals(1, fw.all().size(), "nothing was re-registered");
        c.deactivate();
    }

    @Test
    void aBaseDirectoryThatCannotBeUsedIsRefusedAndTheRunningHandlerStays() throws Exception {
        FakeBundleContext fw = new FakeBundleContext(tmp);
        PelHandlerComponent c = new PelHandlerComponent();
        c.activate(fw.context(), Map.of());
        Object before = fw.live(FileTypeHandler.class).get(0).service;
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");

        c.modified(Map.of("baseDirectory", file.toString()));
        assertSame(before, fw.live(FileTypeHandler.class).get(0).service);
        assertEquals(1, fw.all().size());
        c.deactivate();
    }

    @Test
    void aValidChangeReplacesTheHandlerAndDisablingRemovesIt() {
        FakeBundleContext fw = new FakeBundleContext(tmp);
        PelHandlerComponent c = new PelHandlerComponent();
        c.activate(fw.context(), Map.of());
        Object before = fw.live(FileTypeHandler.class).get(0).service;

        Map<String, Object> moved = new HashMap<>(Map.of("baseDirectory", tmp.resolve("elsewhere").toString()));
        c.modified(moved);
        List<FakeBundleContext.Registered> live = fw.live(FileTypeHandler.class);
        assertEquals(1, live.size());
        assertNotSame(before, live.get(0).service);
        assertEquals(tmp.resolve("elsewhere").toString(), live.get(0).property(HandlerServices.BASE_DIRECTORY_PROPERTY));
        assertTrue(fw.all().get(0).unregistered, "the old handler is unregistered");

        c.modified(moved);
        assertEquals(2, fw.all().size(), "the same configuration again changes nothing");

        moved.put("enabled", false);
        c.modified(moved);
        assertTrue(fw.live(FileTypeHandler.class).isEmpty(), "disabled: no handler, the host gets 0x89");
        moved.put("enabled", "true");
        c.modified(moved);
        assertEquals(1, fw.live(FileTypeHandler.class).size());
        c.deactivate();
    }
}
