package org.careweave.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

    @Test
    void noHeaderIsAbsent() {
        assertThat(BearerToken.parse(null)).isInstanceOf(BearerToken.Absent.class);
        assertThat(BearerToken.parse("  ")).isInstanceOf(BearerToken.Absent.class);
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() {
        assertThat(BearerToken.parse("bearer abc-DEF_123.~+/=")).isEqualTo(new BearerToken.Present("abc-DEF_123.~+/="));
        assertThat(BearerToken.parse("Bearer   tok")).isEqualTo(new BearerToken.Present("tok"));
    }

    @Test
    void otherSchemesAndEmptyTokensAreMalformed() {
        assertThat(BearerToken.parse("Basic dXNlcjpwYXNz")).isInstanceOf(BearerToken.Malformed.class);
        assertThat(BearerToken.parse("Bearer")).isInstanceOf(BearerToken.Malformed.class);
        assertThat(BearerToken.parse("Bearer two words")).isInstanceOf(BearerToken.Malformed.class);
        assertThat(BearerToken.parse("tokenwithoutscheme")).isInstanceOf(BearerToken.Malformed.class);
    }

    @Test
    void aParsedTokenIsNeverPrinted() {
        assertThat(BearerToken.parse("Bearer s3cret").toString()).doesNotContain("s3cret");
    }
}
