package org.dermatrend.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The photo stores the store tests run on: a folder in a temporary directory, and a fresh bucket of {@link TestS3}. */
public final class TestStores {
    private TestStores() {
    }

    public static Stream<String> kinds() {
        return Stream.of("folder", "s3");
    }

    /** Every database with every store. */
    public static Stream<Arguments> databasesAndStores() {
        return TestDatabases.kinds().flatMap(db -> kinds().map(store -> Arguments.of(db, store)));
    }

    /** A new, empty store of this kind (an S3 one under a prefix, as a deployment would have it). */
    public static PhotoStore open(String kind, Path temp) throws IOException {
        return switch (kind) {
            case "folder" -> new FilePhotoStore(temp.resolve("photos-" + UUID.randomUUID()));
            case "s3" -> S3PhotoStore.open(S3PhotoStore.Location.parse(TestS3.newBucket("dermatrend")));
            default -> throw new IllegalArgumentException(kind);
        };
    }
}
