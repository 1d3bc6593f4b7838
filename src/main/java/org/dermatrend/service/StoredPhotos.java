package org.dermatrend.service;

import java.util.Locale;
import org.dermatrend.decode.MetadataStripper;
import org.dermatrend.store.LegacyLayout;

/** What the photo store keeps of a photo: its bytes without metadata ({@link MetadataStripper}), for uploads and old stores alike. */
public final class StoredPhotos {
    private StoredPhotos() {
    }

    /** The cleaner {@link LegacyLayout#migrate} applies to photos stored before metadata was removed. */
    public static LegacyLayout.Cleaner cleaner() {
        return bytes -> {
            MetadataStripper.Stripped s = MetadataStripper.strip(bytes);
            return new LegacyLayout.Cleaned(s.bytes(), s.format().label().toLowerCase(Locale.ROOT));
        };
    }
}
