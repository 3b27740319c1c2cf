package io.portcullis.policy.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A published signature bundle: where its bytes are in S3 and what they contain. Never changed once written. */
@Entity
@Table(name = "signature_bundle")
public class SignatureBundle extends PanacheEntityBase {
    @Id
    public String version;

    @Column(nullable = false)
    public String bucket;

    @Column(name = "object_key", nullable = false)
    public String objectKey;

    /** Hex SHA-256 of the S3 object. */
    @Column(nullable = false)
    public String sha256;

    /** Size of the S3 object in bytes. */
    @Column(nullable = false)
    public long size;

    /** Database file names in tar order. */
    @Column(nullable = false)
    @Convert(converter = StringListConverter.class)
    public List<String> files;

    /** Signatures loaded per format ("hdb", "ndb", ...), as av-engine counted them at publication. */
    @Column(nullable = false)
    @Convert(converter = CountMapConverter.class)
    public Map<String, Integer> signatures;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
