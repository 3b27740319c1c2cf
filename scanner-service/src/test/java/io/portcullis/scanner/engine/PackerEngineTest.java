package io.portcullis.scanner.engine;

import static io.portcullis.scanner.engine.pe.PeBuilder.CODE_RWX;
import static io.portcullis.scanner.engine.pe.PeBuilder.CODE_RX;
import static io.portcullis.scanner.engine.pe.PeBuilder.DATA_RW;
import static io.portcullis.scanner.engine.pe.PeBuilder.concat;
import static io.portcullis.scanner.engine.pe.PeBuilder.hex;
import static io.portcullis.scanner.engine.pe.PeBuilder.plainCode;
import static io.portcullis.scanner.engine.pe.PeBuilder.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.engine.pe.PeBuilder;
import io.portcullis.scanner.engine.pe.PeImage;
import io.portcullis.scanner.support.ClamavTestFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PackerEngineTest {
    private final PackerEngine engine = new PackerEngine();

    private List<Finding> scan(byte[] content) {
        try {
            return engine.scan(new ScanInput("t", null, List.of(
                    new ScanItem("raw", null, "message/rfc822", 0, "Subject: x\r\n\r\nhi".getBytes()),
                    new ScanItem("part/2", "a.exe", "application/octet-stream", 1, content)))).findings();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> details(byte[] content) {
        return scan(content).stream().map(Finding::detail).toList();
    }

    /**
     * Every packed sample of Debian's clamav-testfiles names its packer. clam-fsg.exe as Debian builds it is not FSG
     * packed at all (MSVC Rich header, the ordinary C runtime start-up code at the entry point, clam.exe stored plain
     * in a data section), so nothing is reported for it; FSG itself is covered by {@link #fsgLoaderInTheHeaders()}.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "clam-aspack.exe, aspack",
        "clam-mew.exe, mew",
        "clam-nsis.exe, nsis",
        "clam-pespin.exe, pespin",
        "clam-petite.exe, petite",
        "clam-upack.exe, upack",
        "clam-upx.exe, upx",
        "clam-wwpack.exe, wwpack",
        "clam-yc.exe, yc",
        "clam.ea05.exe, upx",
    })
    void namesThePackerOfEachClamavTestFile(String file, String packer) {
        List<Finding> findings = scan(ClamavTestFiles.read(file));
        assertTrue(!findings.isEmpty(), file + " reported nothing");
        Finding first = findings.get(0);
        assertEquals(PackerEngine.SYMBOL, first.symbol());
        assertEquals(Category.FAILURE, first.category());
        assertEquals(packer + " in part/2", first.detail(), "outermost packer first, for " + file);
        assertTrue(findings.stream().allMatch(f -> f.symbol().equals(PackerEngine.SYMBOL)), findings.toString());
    }

    @Test
    void yodasCrypterOverUpxNamesBothLayersOutermostFirst() {
        assertEquals(List.of("yc in part/2", "upx in part/2"), details(ClamavTestFiles.read("clam-yc.exe")));
    }

    @Test
    void plainClamExeAndTheUnpackedFsgSampleAreNotReported() {
        assertEquals(List.of(), scan(ClamavTestFiles.read("clam.exe")));
        assertEquals(List.of(), scan(ClamavTestFiles.read("clam-fsg.exe")));
    }

    @Test
    void installShieldSetupsWithCompressedResourcesAreNotPacked() {
        assertEquals(List.of(), scan(ClamavTestFiles.read("clam_ISmsi_ext.exe")));
        assertEquals(List.of(), scan(ClamavTestFiles.read("clam_IScab_int.exe")));
    }

    @Test
    void upxSectionNamesAloneAreEnough() {
        byte[] pe = new PeBuilder()
                .section("UPX0", CODE_RWX, 0x20000, new byte[0])
                .section("UPX1", CODE_RWX, 0x1000, plainCode(0x400))
                .entryPoint(0x21000).build();
        assertEquals(List.of("upx in part/2"), details(pe));
    }

    @Test
    void upxEntryPointWithRenamedSectionsIsStillUpx() {
        PeBuilder b = new PeBuilder().section("abc", CODE_RWX, 0x20000, new byte[0]);
        b.section("def", CODE_RWX, 0x1000, concat(hex("60 BE 00 10 42 00 8D BE 00 00 FE FF 57 83 CD FF"),
                plainCode(0x200)));
        byte[] pe = b.entryPoint(b.rva(1)).build();
        assertEquals(List.of("upx in part/2"), details(pe));
    }

    @Test
    void fsgLoaderInTheHeaders() {
        byte[] pe = new PeBuilder().section("", CODE_RWX, 0x8000, random(0x800, new byte[0], 1))
                .entryPoint(0x1C0).build();
        byte[] loader = hex("87 25 5C 10 41 00 61 94 55 A4 B6 80 FF 13 73 F9");
        System.arraycopy(loader, 0, pe, 0x1C0, loader.length);
        assertEquals(List.of("fsg in part/2"), details(pe));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        ".MPRESS1, mpress",
        ".themida, themida",
        ".winlice, themida",
        ".vmp0, vmprotect",
        "PEC2, pecompact",
        ".aspack, aspack",
        ".petite, petite",
        ".WWP32, wwpack",
    })
    void protectorSectionNames(String section, String packer) {
        byte[] pe = new PeBuilder().section(".text", CODE_RX, 0x1000, plainCode(0x400))
                .section(section, CODE_RWX, 0x1000, plainCode(0x400)).build();
        assertEquals(List.of(packer + " in part/2"), details(pe));
    }

    @Test
    void pespinEntryPoint() {
        PeBuilder b = new PeBuilder().section(".text", CODE_RX, 0x1000, plainCode(0x400));
        b.section(".x", CODE_RWX, 0x1000, concat(hex("EB 01 68 60 E8 00 00 00 00 8B 1C 24 83 C3 12 81 2B E8 B1 06"
                + " 00 FE 4B FD 82 2C 24"), plainCode(0x100)));
        assertEquals(List.of("pespin in part/2"), details(b.entryPoint(b.rva(1) + 0).build()));
    }

    @Test
    void nsisDataAfterTheSections() {
        byte[] header = concat(hex("00 00 00 00 EF BE AD DE"), "NullsoftInst".getBytes());
        byte[] pe = new PeBuilder().section(".text", CODE_RX, 0x1000, plainCode(0x400))
                .overlay(concat(header, random(0x400, new byte[0], 2))).build();
        assertEquals(List.of("nsis in part/2"), details(pe));
    }

    @Test
    void unknownPackerWithHighEntropyWritableCodeAtTheEntryPoint() {
        PeBuilder b = new PeBuilder().section(".text", CODE_RWX, 0x4000, random(0x3000, new byte[0], 3));
        List<Finding> f = scan(b.entryPoint(b.rva(0) + 0x10).build());
        assertEquals(1, f.size());
        assertEquals(PackerEngine.UNKNOWN_SYMBOL, f.get(0).symbol());
        assertEquals(Category.FAILURE, f.get(0).category());
        assertTrue(f.get(0).detail().startsWith("entry point in a writable code section with entropy "),
                f.get(0).detail());
        assertTrue(f.get(0).detail().endsWith(" in part/2"));
    }

    @Test
    void unknownPackerWithHollowCodeSectionAndPackedData() {
        PeBuilder b = new PeBuilder().section("aaa", CODE_RWX, 0x40000, new byte[0])
                .section("bbb", DATA_RW, 0x8000, random(0x8000, new byte[0], 4));
        b.section("ccc", CODE_RX, 0x1000, plainCode(0x200));
        List<Finding> f = scan(b.entryPoint(b.rva(2)).build());
        assertEquals(List.of(PackerEngine.UNKNOWN_SYMBOL), f.stream().map(Finding::symbol).toList());
        assertTrue(f.get(0).detail().startsWith("code section empty on disk next to a section with entropy"));
    }

    @Test
    void ordinaryExecutableWithCompressedResourcesIsNotReported() {
        byte[] pe = new PeBuilder().section(".text", CODE_RX, 0x3000, plainCode(0x3000))
                .section(".rsrc", 0x40000040L, 0x10000, random(0x10000, new byte[0], 5)).build();
        assertEquals(List.of(), scan(pe));
    }

    @Test
    void itemsThatAreNotPeFilesAreIgnoredWhateverTheirName() {
        assertEquals(List.of(), scan("MZ but nothing else".getBytes()));
        assertEquals(List.of(), scan(new byte[0]));
        assertEquals(List.of(), scan("UPX0 UPX1 .aspack".getBytes()));
    }

    @Test
    void hostileHeadersNeverThrowAndAreNotReported() {
        byte[] good = new PeBuilder().section("UPX0", CODE_RWX, 0x1000, plainCode(0x200)).build();
        Random random = new Random(42);
        List<byte[]> hostile = new ArrayList<>();
        hostile.add(withInt(good, 0x3c, 0x7FFFFFF0));               // e_lfanew far beyond the file
        hostile.add(withInt(good, 0x3c, -4));                        // negative e_lfanew
        hostile.add(withInt(good, 0x3c, good.length - 8));           // PE header cut by the end of the file
        hostile.add(withShort(good, 0x86, 0xFFFF));                  // 65535 sections
        hostile.add(withShort(good, 0x94, 0xFFFF));                  // optional header size beyond the file
        hostile.add(java.util.Arrays.copyOf(good, 0x100));           // truncated section table
        for (byte[] h : hostile) {
            assertEquals(List.of(), scan(h));
        }
        for (int i = 0; i < 2000; i++) {                             // random corruption: never an exception
            byte[] fuzzed = good.clone();
            for (int k = 0; k < 8; k++) {
                fuzzed[random.nextInt(0x200)] = (byte) random.nextInt(256);
            }
            scan(fuzzed);
        }
    }

    @Test
    void sectionPointersBeyondTheFileAreClipped() {
        byte[] pe = new PeBuilder().section(".text", CODE_RWX, 0x1000, plainCode(0x200)).build();
        byte[] broken = withInt(withInt(pe, 0x80 + 24 + 0xE0 + 16, 0x7FFFFFFF), 0x80 + 24 + 0xE0 + 20, 0x7FFFFE00);
        PeImage image = PeImage.parse(broken).orElseThrow();
        assertEquals(0, image.sections().get(0).rawSize());
        assertEquals(0, image.entryBytes(16).length);
        assertEquals(List.of(), scan(broken));
    }

    @Test
    void largeExecutableIsScannedQuickly() {
        byte[] big = new PeBuilder().section(".text", CODE_RX, 24 << 20, plainCode(24 << 20)).build();
        long start = System.nanoTime();
        assertEquals(List.of(), scan(big));
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "24 MiB took too long");
    }

    @Test
    void cancelledScanThrowsInsteadOfReportingClean() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, () -> engine.scan(new ScanInput("t", null,
                    List.of(new ScanItem("part/2", "a.exe", null, 1, new byte[] {'M', 'Z'})))));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void engineFailureBecomesPackerFailThroughTheRunner() {
        PackerEngine broken = new PackerEngine() {
            @Override
            public EngineResult scan(ScanInput input) {
                throw new IllegalStateException("boom");
            }
        };
        EngineRunner runner = new EngineRunner(List.of(broken), Duration.ofSeconds(5), 1);
        try {
            EngineResult r = runner.run(new ScanInput("t", null, List.of())).get(0);
            assertEquals(PackerEngine.FAILURE_SYMBOL, r.findings().get(0).symbol());
            assertEquals(Category.FAILURE, r.findings().get(0).category());
        } finally {
            runner.close();
        }
    }

    private static byte[] withInt(byte[] b, int off, int value) {
        byte[] out = b.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(off, value);
        return out;
    }

    private static byte[] withShort(byte[] b, int off, int value) {
        byte[] out = b.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putShort(off, (short) value);
        return out;
    }
}
