package org.dermatrend.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.CodeSystem;

/**
 * HAPI FHIR's R4 instance validator as the tests use it: the R4 base profiles and terminologies
 * (DefaultProfileValidationSupport, in-memory value sets, UCUM and the other common code systems) and our
 * code systems as shipped in api-spec/fhir, so our codes are checked against their published definitions.
 * Expensive to make (seconds): one per test class.
 */
public final class FhirValidation {
    /** The shipped code systems: file in api-spec/fhir → the canonical URL it defines. */
    public static final Map<String, String> FILES = Map.of(
            "CodeSystem-dermatrend-metrics.json", FhirCodes.METRICS,
            "CodeSystem-dermatrend-trend-verdict.json", FhirCodes.VERDICTS);
    public static final Path FOLDER = Path.of("api-spec/fhir");

    private final FhirContext context = FhirContext.forR4();
    private final FhirValidator validator;

    public FhirValidation() throws IOException {
        PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(context);
        for (String file : FILES.keySet()) {
            ours.addCodeSystem(context.newJsonParser().parseResource(CodeSystem.class, Files.readString(FOLDER.resolve(file))));
        }
        ValidationSupportChain chain = new ValidationSupportChain(ours, new DefaultProfileValidationSupport(context),
                new InMemoryTerminologyServerValidationSupport(context), new CommonCodeSystemsTerminologyService(context));
        validator = context.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }

    public FhirContext context() {
        return context;
    }

    /** What the validator said about one resource, by severity. */
    public record Result(List<SingleValidationMessage> errors, List<SingleValidationMessage> warnings, int infos) {
        /** The errors, one per line, for an assertion message. */
        public String describeErrors() {
            return describe(errors);
        }

        public static String describe(List<SingleValidationMessage> messages) {
            return messages.stream().map(m -> "  " + m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage())
                    .collect(Collectors.joining("\n"));
        }
    }

    /** Validates a resource given as JSON against the R4 specification and our code systems. */
    public Result validate(String json) {
        ValidationResult r = validator.validateWithResult(json);
        List<SingleValidationMessage> errors = r.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL).toList();
        List<SingleValidationMessage> warnings = r.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.WARNING).toList();
        int infos = (int) r.getMessages().stream().filter(m -> m.getSeverity() == ResultSeverityEnum.INFORMATION).count();
        return new Result(errors, warnings, infos);
    }
}
