package io.ferry.pldm.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The vector files themselves: all three present, the expected number of lines, copies in step. */
class GoldenVectorFilesTest {

    @Test
    void shouldFindEveryVectorFileWithItsExpectedNumberOfVectors() {
        for (String file : GoldenVectors.FILES) {
            assertEquals(GoldenVectorTest.EXPECTED.get(file),
                    GoldenVectors.parse(file, GoldenVectors.read(file)).size(),
                    "vectors in " + file + " from " + GoldenVectors.source());
        }
        assertEquals(96, GoldenVectors.load().size());
    }

    @Test
    void shouldKeepTheCommittedCopyIdenticalToTheSharedVectors() throws IOException {
        Path shared = GoldenVectors.sharedDir();
        for (String file : GoldenVectors.FILES) {
            String copy = GoldenVectors.readResource(file);
            assertNotNull(copy, "src/test/resources/vectors/pldm/" + file + " is committed as the fallback");
            if (shared != null) {
                assertEquals(Files.readString(shared.resolve(file), StandardCharsets.UTF_8), copy,
                        file + ": the committed copy differs from " + shared + " — copy the new vectors over");
            }
        }
        assertNotNull(GoldenVectors.readResource("README.md"), "the vectors' README travels with the copy");
    }
}
