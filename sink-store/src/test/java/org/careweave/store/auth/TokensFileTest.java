package org.careweave.store.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TokensFileTest {

    private static final String CLINICIAN_TOKEN = "clinician-token-1";

    @Test
    void linesGiveHashRoleAndSubjectWithCommentsAndBlanksIgnored() {
        Map<String, Caller> callers = TokensFile.parse(List.of(
                "# careweave API tokens",
                "",
                TokensFile.line(CLINICIAN_TOKEN, Role.CLINICIAN, "Dr A Example (RHMX1)"),
                "  " + TokenHash.sha256Hex("analyst-token") + "   analyst   Data Team  "));

        assertThat(callers).containsEntry(TokenHash.sha256Hex(CLINICIAN_TOKEN),
                new Caller("Dr A Example (RHMX1)", Role.CLINICIAN));
        assertThat(callers).containsEntry(TokenHash.sha256Hex("analyst-token"), new Caller("Data Team", Role.ANALYST));
    }

    @Test
    void theHashIsWhatSha256sumPrints() {
        // printf %s abc | sha256sum
        assertThat(TokenHash.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aTokenInClearIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> TokensFile.parse(List.of("my-secret-token clinician Dr A")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("SHA-256")
                .hasMessageNotContaining("my-secret-token");
    }

    @Test
    void unknownRolesMissingSubjectsAndDuplicatesAreRefused() {
        String hash = TokenHash.sha256Hex("x");
        assertThatThrownBy(() -> TokensFile.parse(List.of(hash + " nurse Someone")))
                .hasMessageContaining("line 1").hasMessageContaining("unknown role");
        assertThatThrownBy(() -> TokensFile.parse(List.of("#", hash + " clinician")))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> TokensFile.parse(List.of(hash + " clinician A", hash + " admin B")))
                .hasMessageContaining("line 2").hasMessageContaining("twice");
    }

    @Test
    void newTokensAreLongRandomAndHeaderSafe() {
        String a = TokenHash.newToken();
        String b = TokenHash.newToken();
        assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(b);
        assertThat(BearerToken.parse("Bearer " + a)).isEqualTo(new BearerToken.Present(a));
    }
}
