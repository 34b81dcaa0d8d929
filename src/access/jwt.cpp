#include "pitboss/access/jwt.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <array>
#include <set>

#include "pitboss/core/error.hpp"

namespace pitboss::access {
namespace {

constexpr std::size_t kMaxTokenBytes = 16 * 1024;
constexpr std::size_t kMaxJwksBytes = 256 * 1024;
constexpr int kMinRsaBits = 2048;
constexpr std::size_t kP256CoordinateBytes = 32;

struct PkeyDeleter {
    void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
struct CtxDeleter {
    void operator()(EVP_PKEY_CTX* ctx) const noexcept { EVP_PKEY_CTX_free(ctx); }
};
struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
struct BnDeleter {
    void operator()(BIGNUM* bn) const noexcept { BN_free(bn); }
};
struct BldDeleter {
    void operator()(OSSL_PARAM_BLD* bld) const noexcept { OSSL_PARAM_BLD_free(bld); }
};
struct ParamDeleter {
    void operator()(OSSL_PARAM* params) const noexcept { OSSL_PARAM_free(params); }
};
struct SigDeleter {
    void operator()(ECDSA_SIG* sig) const noexcept { ECDSA_SIG_free(sig); }
};

int base64url_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

[[noreturn]] void bad_token(const std::string& reason) { throw ValidationError("token", reason); }
[[noreturn]] void bad_jwks(const std::string& reason) { throw ValidationError("jwks", reason); }

Json decode_json_object(std::string_view part, const char* what) {
    const auto bytes = base64url_decode(part);
    if (!bytes) bad_token(std::string(what) + " is not base64url");
    Json j = Json::parse(bytes->begin(), bytes->end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) bad_token(std::string(what) + " is not a JSON object");
    return j;
}

std::vector<std::uint8_t> key_bytes(const Json& key, const char* member) {
    const auto it = key.find(member);
    if (it == key.end() || !it->is_string()) {
        bad_jwks(std::string("a key lacks \"") + member + "\"");
    }
    auto bytes = base64url_decode(it->get<std::string>());
    if (!bytes || bytes->empty()) bad_jwks(std::string("\"") + member + "\" is not base64url");
    return *bytes;
}

std::shared_ptr<const void> shared_key(EVP_PKEY* key) {
    return std::shared_ptr<const void>(
        key, [](const void* k) { EVP_PKEY_free(static_cast<EVP_PKEY*>(const_cast<void*>(k))); });
}

EVP_PKEY* key_from_params(const char* type, OSSL_PARAM_BLD* bld) {
    const std::unique_ptr<OSSL_PARAM, ParamDeleter> params(OSSL_PARAM_BLD_to_param(bld));
    const std::unique_ptr<EVP_PKEY_CTX, CtxDeleter> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* key = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
        bad_jwks(std::string("an ") + type + " key is invalid");
    }
    return key;
}

EVP_PKEY* rsa_key(const Json& jwk) {
    const auto n = key_bytes(jwk, "n");
    const auto e = key_bytes(jwk, "e");
    const std::unique_ptr<BIGNUM, BnDeleter> bn_n(
        BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr));
    const std::unique_ptr<BIGNUM, BnDeleter> bn_e(
        BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr));
    const std::unique_ptr<OSSL_PARAM_BLD, BldDeleter> bld(OSSL_PARAM_BLD_new());
    if (!bn_n || !bn_e || !bld || BN_num_bits(bn_n.get()) < kMinRsaBits ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
        bad_jwks("an RSA key is invalid or shorter than 2048 bits");
    }
    return key_from_params("RSA", bld.get());
}

EVP_PKEY* ec_key(const Json& jwk) {
    const auto crv = jwk.find("crv");
    if (crv == jwk.end() || *crv != "P-256") bad_jwks("only EC keys on P-256 are supported");
    const auto x = key_bytes(jwk, "x");
    const auto y = key_bytes(jwk, "y");
    if (x.size() != kP256CoordinateBytes || y.size() != kP256CoordinateBytes) {
        bad_jwks("an EC key's x and y must be 32 bytes");
    }
    std::vector<std::uint8_t> point{0x04};  // uncompressed: 04 || x || y
    point.insert(point.end(), x.begin(), x.end());
    point.insert(point.end(), y.begin(), y.end());
    const std::unique_ptr<OSSL_PARAM_BLD, BldDeleter> bld(OSSL_PARAM_BLD_new());
    static char group[] = "prime256v1";
    if (!bld ||
        OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                         point.size()) != 1) {
        bad_jwks("an EC key is invalid");
    }
    EVP_PKEY* key = key_from_params("EC", bld.get());
    // fromdata does not promise the point is on the curve: check it.
    const std::unique_ptr<EVP_PKEY_CTX, CtxDeleter> check(
        EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) {
        EVP_PKEY_free(key);
        bad_jwks("an EC key's point is not on P-256");
    }
    return key;
}

// ES256 signatures are r || s, 32 bytes each (RFC 7518 section 3.4); OpenSSL wants DER.
std::optional<std::vector<std::uint8_t>> ecdsa_der(const std::vector<std::uint8_t>& raw) {
    if (raw.size() != 2 * kP256CoordinateBytes) return std::nullopt;
    const auto zero = [](auto begin, auto end) {
        return std::all_of(begin, end, [](std::uint8_t b) { return b == 0; });
    };
    const auto half = raw.begin() + static_cast<std::ptrdiff_t>(kP256CoordinateBytes);
    if (zero(raw.begin(), half) || zero(half, raw.end())) return std::nullopt;  // r or s zero
    const std::unique_ptr<ECDSA_SIG, SigDeleter> sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(raw.data(), static_cast<int>(kP256CoordinateBytes), nullptr);
    BIGNUM* s = BN_bin2bn(raw.data() + kP256CoordinateBytes, static_cast<int>(kP256CoordinateBytes),
                          nullptr);
    if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return std::nullopt;
    }
    const int size = i2d_ECDSA_SIG(sig.get(), nullptr);
    if (size <= 0) return std::nullopt;
    std::vector<std::uint8_t> der(static_cast<std::size_t>(size));
    unsigned char* out = der.data();
    if (i2d_ECDSA_SIG(sig.get(), &out) != size) return std::nullopt;
    return der;
}

bool verify_with(EVP_PKEY* key, std::string_view input, const std::vector<std::uint8_t>& sig) {
    const std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key,
                                        nullptr) != 1) {
        return false;
    }
    return EVP_DigestVerify(ctx.get(), sig.data(), sig.size(),
                            reinterpret_cast<const unsigned char*>(input.data()),
                            input.size()) == 1;
}

}  // namespace

std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text) {
    if (text.size() % 4 == 1) return std::nullopt;
    std::vector<std::uint8_t> out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        const int v = base64url_value(c);
        if (v < 0) return std::nullopt;
        buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>((buffer >> bits) & 0xFFU));
        }
    }
    if ((buffer & ((1U << bits) - 1U)) != 0) return std::nullopt;  // one spelling per value
    return out;
}

std::string base64url_encode(std::string_view bytes) {
    constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : bytes) {
        buffer = (buffer << 8) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(buffer >> bits) & 0x3FU];
        }
    }
    if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3FU];
    return out;
}

Jwt parse_jwt(std::string_view compact) {
    if (compact.size() > kMaxTokenBytes) bad_token("is longer than 16 KiB");
    const auto first = compact.find('.');
    const auto second = first == std::string_view::npos ? first : compact.find('.', first + 1);
    if (second == std::string_view::npos ||
        compact.find('.', second + 1) != std::string_view::npos) {
        bad_token("must have three dot-separated parts");
    }
    Jwt jwt;
    jwt.header = decode_json_object(compact.substr(0, first), "the header");
    jwt.claims = decode_json_object(compact.substr(first + 1, second - first - 1), "the payload");
    const auto sig = base64url_decode(compact.substr(second + 1));
    if (!sig) bad_token("the signature is not base64url");
    jwt.signature = *sig;
    const auto alg = jwt.header.find("alg");
    if (alg == jwt.header.end() || !alg->is_string()) bad_token("the header lacks \"alg\"");
    jwt.algorithm = alg->get<std::string>();
    if (const auto kid = jwt.header.find("kid"); kid != jwt.header.end()) {
        if (!kid->is_string()) bad_token("\"kid\" is not a string");
        jwt.key_id = kid->get<std::string>();
    }
    if (jwt.header.contains("crit")) bad_token("critical header extensions are not supported");
    jwt.signing_input = std::string(compact.substr(0, second));
    return jwt;
}

JsonWebKeySet JsonWebKeySet::parse(std::string_view json) {
    if (json.size() > kMaxJwksBytes) bad_jwks("is longer than 256 KiB");
    const Json doc = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) bad_jwks("is not a JSON object");
    const auto keys = doc.find("keys");
    if (keys == doc.end() || !keys->is_array()) bad_jwks("lacks a \"keys\" array");
    JsonWebKeySet set;
    std::set<std::string> ids;
    for (const Json& jwk : *keys) {
        if (!jwk.is_object()) bad_jwks("a key is not a JSON object");
        const auto kty = jwk.find("kty");
        if (kty == jwk.end() || !kty->is_string()) bad_jwks("a key lacks \"kty\"");
        if (*kty != "RSA" && *kty != "EC") continue;  // "oct" and others never verify here
        if (const auto use = jwk.find("use"); use != jwk.end() && *use != "sig") continue;
        JsonWebKey key;
        const auto kid = jwk.find("kid");
        if (kid == jwk.end() || !kid->is_string() || kid->get<std::string>().empty()) {
            bad_jwks("a key lacks \"kid\"");
        }
        key.key_id = kid->get<std::string>();
        if (!ids.insert(key.key_id).second) bad_jwks("two keys share a \"kid\"");
        key.key_type = kty->get<std::string>();
        if (const auto alg = jwk.find("alg"); alg != jwk.end()) {
            if (!alg->is_string()) bad_jwks("\"alg\" is not a string");
            key.algorithm = alg->get<std::string>();
        }
        if (const auto exp = jwk.find("exp"); exp != jwk.end()) {
            if (!exp->is_number_integer()) bad_jwks("\"exp\" is not an integer");
            const auto seconds = exp->get<std::int64_t>();
            if (seconds < 0 || seconds > 253'402'300'799) bad_jwks("\"exp\" is out of range");
            key.expires_at = from_unix_millis(seconds * 1000);
        }
        key.public_key = shared_key(key.key_type == "RSA" ? rsa_key(jwk) : ec_key(jwk));
        set.keys_.push_back(std::move(key));
    }
    return set;
}

const JsonWebKey* JsonWebKeySet::find(std::string_view key_id) const noexcept {
    const auto it = std::find_if(keys_.begin(), keys_.end(),
                                 [&](const JsonWebKey& k) { return k.key_id == key_id; });
    return it == keys_.end() ? nullptr : &*it;
}

std::string_view to_string(JwsFailure failure) noexcept {
    switch (failure) {
        case JwsFailure::kAlgorithmNotAllowed:
            return "algorithm_not_allowed";
        case JwsFailure::kMissingKeyId:
            return "missing_key_id";
        case JwsFailure::kUnknownKey:
            return "unknown_key";
        case JwsFailure::kKeyMismatch:
            return "key_mismatch";
        case JwsFailure::kKeyExpired:
            return "key_expired";
        case JwsFailure::kBadSignature:
            break;
    }
    return "bad_signature";
}

std::optional<JwsFailure> verify_signature(const Jwt& token, const JsonWebKeySet& keys,
                                           const std::vector<std::string>& allowed, Timestamp now) {
    for (const std::string& alg : allowed) {
        if (alg != "RS256" && alg != "ES256") {
            throw ValidationError("allowed_algorithms", "may hold only RS256 and ES256");
        }
    }
    // The allow-list decides; "none" and every HMAC algorithm can never be on it.
    if (std::find(allowed.begin(), allowed.end(), token.algorithm) == allowed.end()) {
        return JwsFailure::kAlgorithmNotAllowed;
    }
    if (!token.key_id) return JwsFailure::kMissingKeyId;
    const JsonWebKey* key = keys.find(*token.key_id);
    if (key == nullptr) return JwsFailure::kUnknownKey;
    const std::string_view wanted_type = token.algorithm == "RS256" ? "RSA" : "EC";
    if (key->key_type != wanted_type || (key->algorithm && *key->algorithm != token.algorithm)) {
        return JwsFailure::kKeyMismatch;
    }
    if (key->expires_at && now >= *key->expires_at) return JwsFailure::kKeyExpired;
    auto* pkey = static_cast<EVP_PKEY*>(const_cast<void*>(key->public_key.get()));
    if (token.algorithm == "ES256") {
        const auto der = ecdsa_der(token.signature);
        if (!der || !verify_with(pkey, token.signing_input, *der)) return JwsFailure::kBadSignature;
        return std::nullopt;
    }
    if (!verify_with(pkey, token.signing_input, token.signature)) return JwsFailure::kBadSignature;
    return std::nullopt;
}

}  // namespace pitboss::access
