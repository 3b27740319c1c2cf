package io.portcullis.av;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThreatCategoryTest {
    @ParameterizedTest
    @CsvSource({
        "Eicar-Test-Signature,TEST", "Win.Test.EICAR_HDB-1,TEST", "ClamAV-Test-File,TEST",
        "Win.Worm.Mydoom-1,WORM_MASS_MAILER", "Email.Worm.Netsky-3,WORM_MASS_MAILER", "I-Worm.Sobig,WORM_MASS_MAILER",
        "Win.Trojan.Agent-123,TROJAN", "Trojan-Downloader.Win32.X,TROJAN", "Win.Backdoor.Zegost-1,TROJAN",
        "Win.Spyware.Keylog-1,SPYWARE", "Win.Adware.Agent-2,ADWARE", "PUA.Win.Adware.Foo,ADWARE",
        "Win.Dialer.Xyz-1,DIALER", "PUA.Win.Packer.Upx-1,PUA_GRAYWARE", "Win.Tool.Netcat-1,PUA_GRAYWARE",
        "Win.Virus.Sality-1,VIRUS", "Something.Unknown-1,VIRUS", "Doc.Macro.Agent-1,VIRUS",
    })
    void mapsClamAvNamesToCategories(String name, ThreatCategory expected) {
        assertEquals(expected, ThreatCategory.of(name));
    }
}
