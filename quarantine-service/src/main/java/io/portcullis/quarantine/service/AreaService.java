package io.portcullis.quarantine.service;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.quarantine.entity.QuarantineArea;
import io.portcullis.quarantine.entity.UserRight;
import io.portcullis.quarantine.service.QuarantineProblem.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Quarantine areas: list, create, update, delete (built-in areas and areas in use cannot be deleted), and the
 * effective area of an item (an unknown area is treated as {@value QuarantineArea#FALLBACK}).
 */
@ApplicationScoped
public class AreaService {
    /** Same alphabet as item areas; policy rules name at most 40 characters of it. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final int MAX_RETENTION_DAYS = 3650;
    static final int MAX_DESCRIPTION = 500;

    /** What a create or update request may set; null fields keep the current value on update. */
    public record AreaInput(Integer retentionDays, String userRight, String description) {
    }

    private final EntityManager em;
    private final Clock clock = Clock.systemUTC();

    public AreaService(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public List<QuarantineArea> list() {
        return em.createQuery("from QuarantineArea order by name", QuarantineArea.class).getResultList();
    }

    @Transactional
    public QuarantineArea get(String name) {
        return find(validName(name))
                .orElseThrow(() -> new QuarantineProblem(Kind.NOT_FOUND, "no quarantine area " + name));
    }

    /** The area an item in {@code name} is governed by: that area, or {@value QuarantineArea#FALLBACK}. */
    @Transactional
    public QuarantineArea effective(String name) {
        Optional<QuarantineArea> area = name == null ? Optional.empty() : find(name);
        return area.or(() -> find(QuarantineArea.FALLBACK)).orElseGet(AreaService::fallback);
    }

    @WithSpan("quarantine.area-create")
    @Transactional
    public QuarantineArea create(String name, AreaInput input, String actor) {
        String valid = validName(name);
        if (input == null || input.retentionDays() == null) {
            throw QuarantineProblem.invalid("retentionDays", "retentionDays is required (1-" + MAX_RETENTION_DAYS + ")");
        }
        if (input.userRight() == null) {
            throw QuarantineProblem.invalid("userRight", "userRight is required (RELEASE, REQUEST or NONE)");
        }
        QuarantineArea area = new QuarantineArea();
        area.name = valid;
        apply(area, input);
        area.builtIn = false;
        area.createdAt = now();
        area.updatedAt = area.createdAt;
        area.updatedBy = actor;
        if (find(valid).isPresent()) {
            throw new QuarantineProblem(Kind.CONFLICT, "quarantine area " + valid + " exists");
        }
        em.persist(area);
        em.flush();
        return area;
    }

    @WithSpan("quarantine.area-update")
    @Transactional
    public QuarantineArea update(String name, AreaInput input, String actor) {
        QuarantineArea area = get(name);
        if (input == null) {
            throw QuarantineProblem.invalid("body", "a JSON object with retentionDays, userRight, description");
        }
        apply(area, input);
        area.updatedAt = now();
        area.updatedBy = actor;
        return area;
    }

    @WithSpan("quarantine.area-delete")
    @Transactional
    public void delete(String name) {
        QuarantineArea area = get(name);
        if (area.builtIn) {
            throw new QuarantineProblem(Kind.CONFLICT, "quarantine area " + area.name + " is built in");
        }
        Number inUse = (Number) em.createNativeQuery(
                "SELECT count(*) FROM (SELECT 1 FROM quarantine.quarantined_message WHERE area = :area LIMIT 1) x")
                .setParameter("area", area.name).getSingleResult();
        if (inUse.longValue() > 0) {
            throw new QuarantineProblem(Kind.CONFLICT, "quarantine area " + area.name + " still holds items");
        }
        em.remove(area);
    }

    private Optional<QuarantineArea> find(String name) {
        return Optional.ofNullable(em.find(QuarantineArea.class, name));
    }

    private static void apply(QuarantineArea area, AreaInput input) {
        if (input.retentionDays() != null) {
            if (input.retentionDays() < 1 || input.retentionDays() > MAX_RETENTION_DAYS) {
                throw QuarantineProblem.invalid("retentionDays",
                        "retentionDays must be between 1 and " + MAX_RETENTION_DAYS);
            }
            area.retentionDays = input.retentionDays();
        }
        if (input.userRight() != null) {
            try {
                area.userRight = UserRight.valueOf(input.userRight().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw QuarantineProblem.invalid("userRight", "userRight must be RELEASE, REQUEST or NONE");
            }
        }
        if (input.description() != null) {
            String d = input.description().strip();
            if (d.length() > MAX_DESCRIPTION || d.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw QuarantineProblem.invalid("description",
                        "description must be at most " + MAX_DESCRIPTION + " characters without control characters");
            }
            area.description = d;
        } else if (area.description == null) {
            area.description = "";
        }
    }

    static String validName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw QuarantineProblem.invalid("name", "name must be 1-64 of a-z, 0-9 and '-', starting with a letter"
                    + " or digit");
        }
        return name;
    }

    /** Used only when even the built-in fallback row is missing (someone deleted it by hand): the safest rights. */
    private static QuarantineArea fallback() {
        QuarantineArea area = new QuarantineArea();
        area.name = QuarantineArea.FALLBACK;
        area.retentionDays = 30;
        area.userRight = UserRight.REQUEST;
        area.description = "";
        area.builtIn = true;
        return area;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
