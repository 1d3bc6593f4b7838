package org.dermatrend.relief;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The trained scar-relief network, loaded once per process. Thread-safe: each caller takes its own
 * {@link #newInference() inference} (not thread-safe; making one is cheap). {@link #newPredictor()}, DJL's way of
 * running it, gives the same numbers and is kept as the reference the lean pass is tested against.
 *
 * <p>Weights are DJL parameter files ({@value #WEIGHTS_FILE}) beside a {@value #CHECKSUM_FILE}
 * holding their sha256; loading refuses weights whose checksum does not match, so a corrupted or
 * swapped file stops the program instead of producing plausible wrong depths. The weights shipped
 * in {@code models/scar-relief/} are packaged into the jar; {@link #load(Path)} reads another folder.
 */
public final class ReliefModel implements AutoCloseable {
    public static final String NAME = "scar-relief";
    public static final String WEIGHTS_FILE = NAME + "-0000.params";
    public static final String CHECKSUM_FILE = "weights.sha256";
    /** Where the build puts {@code models/scar-relief/} inside the jar. */
    static final String PACKAGED = "/models/" + NAME + "/";
    /** The engine this project ships natives for. */
    public static final String ENGINE = "PyTorch";

    private final Model model;
    private final String sha256;
    private final String source;

    private ReliefModel(Model model, String sha256, String source) {
        this.model = model;
        this.sha256 = sha256;
        this.source = source;
    }

    /** Loads the weights shipped with dermatrend (packaged from {@code models/scar-relief/}). */
    public static ReliefModel loadPackaged() {
        byte[] weights = resource(WEIGHTS_FILE);
        String expected = new String(resource(CHECKSUM_FILE), StandardCharsets.US_ASCII);
        return fromBytes(weights, expected, "jar:" + PACKAGED);
    }

    /**
     * Loads {@value #WEIGHTS_FILE} from {@code dir} after checking it against {@code dir/}{@value #CHECKSUM_FILE}.
     *
     * @throws ModelLoadException naming the file and what to do when either is missing or they disagree
     */
    public static ReliefModel load(Path dir) {
        Path weights = dir.resolve(WEIGHTS_FILE);
        Path checksum = dir.resolve(CHECKSUM_FILE);
        try {
            if (!Files.isRegularFile(weights) || !Files.isRegularFile(checksum)) {
                throw new ModelLoadException("the scar-relief model folder " + dir + " must hold " + WEIGHTS_FILE
                        + " and " + CHECKSUM_FILE + "; train one with 'dermatrend train scar-relief --out " + dir + "'");
            }
            return fromBytes(Files.readAllBytes(weights), Files.readString(checksum, StandardCharsets.US_ASCII),
                    dir.toString());
        } catch (IOException e) {
            throw new ModelLoadException("cannot read the scar-relief model in " + dir + ": " + e.getMessage(), e);
        }
    }

    static ReliefModel fromBytes(byte[] weights, String checksumText, String source) {
        String expected = checksumText.trim().split("\\s+")[0].toLowerCase(Locale.ROOT);
        String actual = sha256(weights);
        if (!actual.equals(expected)) {
            throw new ModelLoadException("the scar-relief weights in " + source + " do not match their checksum (sha256 "
                    + actual + ", expected " + expected + "): the file is damaged or was replaced. Restore it from "
                    + "the repository or retrain with 'dermatrend train scar-relief'.");
        }
        Model model;
        try {
            model = Model.newInstance(NAME, Device.cpu(), ENGINE);
        } catch (RuntimeException e) {
            throw new ModelLoadException("the PyTorch engine could not start (" + e.getMessage() + "); dermatrend ships its "
                    + "CPU natives for linux-x86_64 only (pytorch-native-cpu in target/lib)", e);
        }
        try {
            model.setBlock(ReliefNet.build());
            model.load(new ByteArrayInputStream(weights));
            return new ReliefModel(model, actual, source);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new ModelLoadException("the scar-relief weights in " + source + " do not fit this version's network: "
                    + e.getMessage(), e);
        }
    }

    /** A predictor for one thread; close it when done. */
    public Predictor<ReliefTile, float[]> newPredictor() {
        return model.newPredictor(new ReliefTranslator());
    }

    /**
     * Runs the network over tiles for one thread, with each layer's output freed as soon as it has been read
     * ({@link ReliefNet#infer}); the same answers as {@link #newPredictor()}'s, in a fraction of its memory. Close it.
     */
    public Inference newInference() {
        return new Inference();
    }

    /** One thread's use of the network (see {@link #newInference()}). Not thread-safe. */
    public final class Inference implements AutoCloseable {
        private final NDManager manager = model.getNDManager().newSubManager();
        private final ParameterStore parameters = new ParameterStore(manager, false);

        private Inference() {
        }

        /** The tile's scar depth in mm, row-major {@code height × width}, ≥ 0 (as {@link ReliefTranslator} answers). */
        public float[] depthMm(ReliefTile tile) {
            try (NDManager call = manager.newSubManager()) {
                return ReliefTranslator.depthMm(ReliefNet.infer(model.getBlock(), parameters, ReliefTranslator.input(call, tile)));
            }
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /** The sha256 of the loaded weights, lower-case hex. */
    public String sha256() {
        return sha256;
    }

    /** Where the weights came from (a folder, or the jar). */
    public String source() {
        return source;
    }

    /** Hex sha256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        return org.dermatrend.util.Digest.sha256(bytes);
    }

    private static byte[] resource(String file) {
        try (InputStream in = ReliefModel.class.getResourceAsStream(PACKAGED + file)) {
            if (in == null) {
                throw new ModelLoadException("this build has no packaged scar-relief model (" + PACKAGED + file
                        + " missing from the jar); rebuild with 'mvn package' from a checkout holding models/scar-relief/");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException("cannot read the packaged scar-relief model: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        model.close();
    }

    /** The model cannot be used: missing, damaged, or of another architecture. The message says what to do. */
    public static final class ModelLoadException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ModelLoadException(String message) {
            super(message);
        }

        public ModelLoadException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
