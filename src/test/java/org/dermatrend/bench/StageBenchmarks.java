package org.dermatrend.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.dermatrend.align.Aligner;
import org.dermatrend.align.Alignment;
import org.dermatrend.align.ConfigAlignment;
import org.dermatrend.calibrate.Calibration;
import org.dermatrend.calibrate.GrayCardCalibrator;
import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.decode.ConfigIntake;
import org.dermatrend.decode.DecodeResult;
import org.dermatrend.decode.DecodedPhoto;
import org.dermatrend.decode.PhotoDecoder;
import org.dermatrend.mask.ConfigSkinMask;
import org.dermatrend.mask.SkinMask;
import org.dermatrend.mask.SkinMasker;
import org.dermatrend.measure.ConfigPores;
import org.dermatrend.measure.ConfigRedness;
import org.dermatrend.measure.ConfigScars;
import org.dermatrend.measure.PoreDetector;
import org.dermatrend.measure.PoreResult;
import org.dermatrend.measure.RednessMeter;
import org.dermatrend.measure.RednessResult;
import org.dermatrend.measure.ScarDetector;
import org.dermatrend.measure.ScarResult;
import org.dermatrend.quality.ConfigQuality;
import org.dermatrend.quality.QualityGate;
import org.dermatrend.quality.QualityReport;
import org.dermatrend.relief.ReliefEstimator;
import org.dermatrend.relief.ReliefInput;
import org.dermatrend.relief.ReliefModel;
import org.opencv.core.Mat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each stage of {@code score} and {@code compare} on a 12-megapixel photo, alone, with the stages before
 * it computed once in the setup. Run by {@code docs/bench/stages-jmh.sh}, which makes the photos and turns
 * the medians into ratios to {@link #decode} (the floor: no stage can start before the pixels exist).
 * Sample-time mode: every call is timed, and the table takes the median of those times.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dai.djl.offline=true"})
@State(Scope.Benchmark)
public class StageBenchmarks {
    /** A 12 MP photo with a grey card (and scars), e.g. from {@code synth --preset scarred --gray-card}. */
    @Param("/tmp/dermatrend-bench/score.jpg")
    public String photo;

    /** The grey card in {@link #photo}, x,y,width,height. */
    @Param("120,90,584,584")
    public String grayRef;

    /** Its scale. */
    @Param("0.01")
    public double mmPerPx;

    /** A 12 MP baseline and follow-up of one skin, for the alignment, e.g. from {@code eval-align --write-set}. */
    @Param("/tmp/dermatrend-bench/before.jpg")
    public String before;

    @Param("/tmp/dermatrend-bench/after.jpg")
    public String after;

    private final PhotoDecoder decoder = new PhotoDecoder(ConfigIntake.defaults());
    private final GrayCardCalibrator calibrator = new GrayCardCalibrator();
    private final SkinMasker masker = new SkinMasker(ConfigSkinMask.defaults());
    private final QualityGate gate = new QualityGate(ConfigQuality.defaults());
    private final PoreDetector pores = new PoreDetector(ConfigPores.defaults());
    private final RednessMeter redness = new RednessMeter(ConfigRedness.defaults());
    private final Aligner aligner = new Aligner(ConfigAlignment.defaults(), Runtime.getRuntime().availableProcessors());
    private ReliefModel model;
    private ReliefEstimator relief;
    private ScarDetector scars;

    private byte[] jpeg;
    private DecodedPhoto decoded;
    private Optional<PixelRect> card;
    private OptionalDouble scale;
    private Calibration calibration;
    private Mat linear;
    private SkinMask mask;
    private PoreResult poreResult;
    private Mat shading;
    private Mat skinCanonical;
    private DecodedPhoto beforePhoto;
    private DecodedPhoto afterPhoto;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        OpenCvNatives.load();
        model = ReliefModel.loadPackaged();
        relief = new ReliefEstimator(model);
        scars = new ScarDetector(ConfigScars.defaults(), relief);
        jpeg = Files.readAllBytes(Path.of(photo));
        decoded = decodeOrFail(jpeg);
        card = Optional.of(PixelRect.parse(grayRef));
        scale = OptionalDouble.of(mmPerPx);
        calibration = calibrator.calibrate(decoded, card);
        linear = GrayCardCalibrator.toLinear(decoded.bgr(), calibration);
        mask = masker.compute(decoded.bgr(), linear, card, Optional.empty(), decoded.validMask(), scale);
        poreResult = pores.detect(linear, mask.mask(), scale);
        Mat lin = ReliefInput.resample(linear, mmPerPx);
        skinCanonical = ReliefInput.resample(mask.mask(), mmPerPx);
        shading = ReliefInput.shading(lin, skinCanonical);
        lin.release();
        beforePhoto = decodeOrFail(Files.readAllBytes(Path.of(before)));
        afterPhoto = decodeOrFail(Files.readAllBytes(Path.of(after)));
    }

    private DecodedPhoto decodeOrFail(byte[] bytes) {
        DecodeResult r = decoder.decode(bytes);
        if (r.isRefused()) {
            throw new IllegalStateException("the benchmark photo was refused: " + r.refusal());
        }
        return r.photo();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoded.close();
        linear.release();
        mask.close();
        poreResult.close();
        shading.release();
        skinCanonical.release();
        beforePhoto.close();
        afterPhoto.close();
        model.close();
    }

    /** Header, pixels, EXIF orientation: the floor every ratio is taken against. */
    @Benchmark
    public int decode() {
        try (DecodedPhoto p = decodeOrFail(jpeg)) {
            return p.width();
        }
    }

    /** The grey card (from the JPEG's DC coefficients) and the conversion to linear light. */
    @Benchmark
    public double calibrate() {
        Calibration c = calibrator.calibrate(decoded, card);
        Mat lin = GrayCardCalibrator.toLinear(decoded.bgr(), c);
        int rows = lin.rows();
        lin.release();
        return rows + c.hashCode();
    }

    @Benchmark
    public long mask() {
        try (SkinMask m = masker.compute(decoded.bgr(), linear, card, Optional.empty(), decoded.validMask(), scale)) {
            return m.skinPx();
        }
    }

    @Benchmark
    public QualityReport quality() {
        return gate.assess(decoded.bgr(), linear, mask, calibration, Optional.empty(), decoded.validMask(), scale,
                decoded.greyscale());
    }

    @Benchmark
    public int pores() {
        try (PoreResult r = pores.detect(linear, mask.mask(), scale)) {
            return r.pores().size();
        }
    }

    @Benchmark
    public RednessResult redness() {
        return redness.measure(linear, mask.mask(), poreResult.poreMask(), scale);
    }

    /** The scar-relief network alone, on the shading image at 0.08 mm/px (tiles, mirror average). */
    @Benchmark
    public int reliefModel() {
        Mat depth = relief.depthMm(shading, skinCanonical);
        int rows = depth.rows();
        depth.release();
        return rows;
    }

    /** The whole scar stage: resampling, shading, the network, surface removal, components. */
    @Benchmark
    public int scars() {
        try (ScarResult r = scars.detect(linear, mask.mask(), scale)) {
            return r.scars().size();
        }
    }

    /** Registration of the follow-up to the baseline (both already decoded). */
    @Benchmark
    public Alignment align() {
        Alignment a = aligner.align(beforePhoto.bgr(), afterPhoto.bgr(), beforePhoto.validMask(), afterPhoto.validMask());
        if (!a.ok()) {
            throw new IllegalStateException("the benchmark pair did not align: " + a.reason());
        }
        return a;
    }
}
