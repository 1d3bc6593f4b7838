package org.dermatrend.service;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.dermatrend.domain.Records.Analysis;
import org.dermatrend.domain.Records.AnalysisState;
import org.dermatrend.domain.Records.DatedPhoto;
import org.dermatrend.domain.Records.Photo;
import org.dermatrend.store.AnalysisQueue;
import org.dermatrend.store.PhotoRepository;
import org.dermatrend.store.RecordEdits.Redo;
import org.dermatrend.wire.AnalysisResult;

/**
 * Which analyses a correction makes stale. An analysis depends on its own photo and settings (the area's
 * scale and region, the photo's grey card) and, for a follow-up, on the area's baseline: the first photo
 * by date that is usable. So a change re-queues:
 * <ul>
 *   <li>the photos whose own inputs changed, and</li>
 *   <li>when the photos up to the baseline are no longer the same photos in the same order (one was
 *       inserted before it, removed, re-dated or moved past it, or its inputs changed), every photo from
 *       the first difference on: their baseline may now be another photo.</li>
 * </ul>
 * A follow-up re-dated among follow-ups, a photo appended after the baseline, or an erased follow-up
 * changes no other analysis. The baseline, before the change, is the first photo analysed as one; photos
 * before it that are still pending count (any may yet become the baseline), and those that failed on their
 * own ({@link #INTRINSIC}: refused, gate, rectangles) do not: they stay unusable wherever they move. A photo
 * that failed against the baseline (alignment) is never taken for one that failed on its own.
 */
final class Reanalysis {
    private final PhotoRepository photos;
    private final AnalysisQueue queue;

    Reanalysis(PhotoRepository photos, AnalysisQueue queue) {
        this.photos = photos;
        this.queue = queue;
    }

    /** A photo of the series as the change leaves it: its position key (session date, upload time, id). */
    record Item(String photoId, LocalDate date, java.time.Instant uploaded) {
        static Item of(DatedPhoto dp) {
            return new Item(dp.photo().id(), dp.sessionDate(), dp.photo().createdAt());
        }
    }

    private static final Comparator<Item> ORDER = Comparator.comparing(Item::date).thenComparing(Item::uploaded)
            .thenComparing(Item::photoId);

    /**
     * The analyses of the area a change makes stale.
     *
     * @param change        the area's photos as the change leaves them (remove, add or re-date items)
     * @param changedInputs photos whose own inputs change, with the reason to record
     */
    List<Redo> plan(String clinicId, String areaId, UnaryOperator<List<Item>> change, Map<String, String> changedInputs) {
        List<Item> before = photos.listByArea(clinicId, areaId).stream().map(Item::of).toList();
        List<Item> after = new ArrayList<>(change.apply(new ArrayList<>(before)));
        after.sort(ORDER);
        Map<String, Analysis> latest = new java.util.HashMap<>();
        for (Item i : before) {
            queue.findByPhoto(clinicId, i.photoId()).ifPresent(a -> latest.put(i.photoId(), a));
        }
        Predicate<String> baselineDone = id -> latest.containsKey(id) && latest.get(id).state() == AnalysisState.DONE
                && AnalysisResult.baselineFlag(latest.get(id).resultJson());
        Predicate<String> failedOnItsOwn = id -> latest.containsKey(id) && latest.get(id).state() == AnalysisState.FAILED
                && INTRINSIC.contains(latest.get(id).failureCode());
        Map<String, String> out = new LinkedHashMap<>();
        for (String id : affected(before.stream().map(Item::photoId).toList(), after.stream().map(Item::photoId).toList(),
                changedInputs.keySet(), baselineDone, failedOnItsOwn)) {
            out.put(id, changedInputs.getOrDefault(id, "baseline_changed"));
        }
        return out.entrySet().stream().map(e -> new Redo(e.getKey(), e.getValue())).toList();
    }

    /**
     * The failures a photo has whatever the area's other photos are (its bytes, its own rectangles, the gate on
     * its own region, a budget): such a photo before the baseline stays unusable wherever it moves. A failure
     * against a baseline (alignment, the baseline's own troubles) is not one of them.
     */
    static final Set<String> INTRINSIC = Set.of("image_refused", "quality_failed", "roi_outside_image", "gray_ref_outside_image",
            "invalid_request", "over_budget", "analysis_abandoned");

    /** Every photo of the area, for a change of the area's own settings (scale, region). */
    List<Redo> all(String clinicId, String areaId, String reason) {
        return photos.listByArea(clinicId, areaId).stream().map(dp -> new Redo(dp.photo().id(), reason)).toList();
    }

    /**
     * The rule of the class, on photo ids in date order.
     *
     * @param failed whether a photo's latest analysis (before the change) failed
     */
    static List<String> affected(List<String> before, List<String> after, Set<String> changedInputs, Predicate<String> baselineDone,
                                 Predicate<String> failedOnItsOwn) {
        // The baseline, before the change: the first photo analysed as one. Photos still pending before it are
        // in the prefix (any may turn out to be the baseline); with none done as a baseline, every photo is.
        String baseline = before.stream().filter(baselineDone).findFirst().orElse(null);
        int baselineAt = baseline == null ? before.size() : before.indexOf(baseline);
        Set<String> inert = new java.util.HashSet<>();
        for (int i = 0; i < baselineAt; i++) {
            String id = before.get(i);
            // Failed on its own before the baseline: unusable wherever it moves, so it cannot move the baseline.
            if (failedOnItsOwn.test(id) && !changedInputs.contains(id)) {
                inert.add(id);
            }
        }
        List<String> prefixBefore = upTo(before, baseline).stream().filter(id -> !inert.contains(id)).toList();
        List<String> prefixAfter = upTo(after, baseline).stream().filter(id -> !inert.contains(id)).toList();
        int from = -1;
        if (!prefixBefore.equals(prefixAfter)) {
            int i = 0;
            while (i < prefixBefore.size() && i < prefixAfter.size() && prefixBefore.get(i).equals(prefixAfter.get(i))) {
                i++;
            }
            from = i < prefixAfter.size() ? after.indexOf(prefixAfter.get(i))
                    : prefixAfter.isEmpty() ? 0 : after.indexOf(prefixAfter.get(prefixAfter.size() - 1)) + 1;
        }
        for (String id : prefixAfter) {
            if (changedInputs.contains(id)) { // the baseline, or a photo that may become it, changes itself
                int at = after.indexOf(id);
                from = from < 0 ? at : Math.min(from, at);
                break;
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < after.size(); i++) {
            String id = after.get(i);
            if ((from >= 0 && i >= from) || changedInputs.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** The photos up to and including {@code baseline}, or all when it is not among them. */
    private static List<String> upTo(List<String> ids, String baseline) {
        int i = baseline == null ? -1 : ids.indexOf(baseline);
        return i < 0 ? ids : ids.subList(0, i + 1);
    }

    /** The photo with another session date, for re-dating changes. */
    static Item redated(Item item, LocalDate date) {
        return new Item(item.photoId(), date, item.uploaded());
    }

    static Item of(Photo p, LocalDate date) {
        return new Item(p.id(), date, p.createdAt());
    }
}
