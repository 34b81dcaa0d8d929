#pragma once
// Test keys and tokens made with OpenSSL at test time: an identity provider in a few functions.

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "pitboss/access/jwt.hpp"
#include "pitboss/core/json.hpp"

namespace pitboss::testing {

/// A key pair of a test identity provider.
class TestKey {
public:
    /// A fresh RSA-2048 ("RSA") or P-256 ("EC") key named `kid`.
    TestKey(const std::string& type, std::string kid) : kid_(std::move(kid)), type_(type) {
        EVP_PKEY* raw = type == "RSA"
                            ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048})
                            : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
        if (raw == nullptr) throw std::runtime_error("keygen failed");
        key_.reset(raw);
    }

    [[nodiscard]] const std::string& kid() const { return kid_; }

    /// The public key as a JWK object.
    [[nodiscard]] Json jwk() const {
        Json j = {{"kid", kid_}, {"kty", type_}, {"use", "sig"}};
        if (type_ == "RSA") {
            j["alg"] = "RS256";
            j["n"] = bn_param(OSSL_PKEY_PARAM_RSA_N);
            j["e"] = bn_param(OSSL_PKEY_PARAM_RSA_E);
        } else {
            j["alg"] = "ES256";
            j["crv"] = "P-256";
            unsigned char point[65];
            std::size_t length = 0;
            if (EVP_PKEY_get_octet_string_param(key_.get(), OSSL_PKEY_PARAM_PUB_KEY, point,
                                                sizeof point, &length) != 1 ||
                length != 65) {
                throw std::runtime_error("no EC point");
            }
            j["x"] =
                access::base64url_encode(std::string(reinterpret_cast<const char*>(point + 1), 32));
            j["y"] = access::base64url_encode(
                std::string(reinterpret_cast<const char*>(point + 33), 32));
        }
        return j;
    }

    /// The raw signature of `input`: RSASSA-PKCS1-v1_5 or ECDSA r || s, both over SHA-256.
    [[nodiscard]] std::string sign(const std::string& input) const {
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free);
        std::size_t size = 0;
        const auto* data = reinterpret_cast<const unsigned char*>(input.data());
        if (EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key_.get(),
                                  nullptr) != 1 ||
            EVP_DigestSign(ctx.get(), nullptr, &size, data, input.size()) != 1) {
            throw std::runtime_error("sign failed");
        }
        std::vector<unsigned char> sig(size);
        if (EVP_DigestSign(ctx.get(), sig.data(), &size, data, input.size()) != 1) {
            throw std::runtime_error("sign failed");
        }
        sig.resize(size);
        if (type_ == "RSA") return std::string(sig.begin(), sig.end());
        const unsigned char* p = sig.data();
        std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> parsed(
            d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size())), &ECDSA_SIG_free);
        if (!parsed) throw std::runtime_error("bad DER");
        unsigned char raw[64];
        BN_bn2binpad(ECDSA_SIG_get0_r(parsed.get()), raw, 32);
        BN_bn2binpad(ECDSA_SIG_get0_s(parsed.get()), raw + 32, 32);
        return std::string(reinterpret_cast<const char*>(raw), 64);
    }

    /// A compact JWS of `claims` with `header` (alg and kid filled in unless given).
    [[nodiscard]] std::string token(const Json& claims, Json header = Json::object()) const {
        if (!header.contains("alg")) header["alg"] = type_ == "RSA" ? "RS256" : "ES256";
        if (!header.contains("kid")) header["kid"] = kid_;
        const std::string input =
            access::base64url_encode(header.dump()) + "." + access::base64url_encode(claims.dump());
        return input + "." + access::base64url_encode(sign(input));
    }

private:
    [[nodiscard]] std::string bn_param(const char* name) const {
        BIGNUM* bn = nullptr;
        if (EVP_PKEY_get_bn_param(key_.get(), name, &bn) != 1) throw std::runtime_error(name);
        std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
        BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
        BN_free(bn);
        return access::base64url_encode(bytes);
    }

    struct Free {
        void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
    };
    std::string kid_;
    std::string type_;
    std::unique_ptr<EVP_PKEY, Free> key_;
};

/// `{"keys": [...]}` of the given JWK objects.
inline std::string jwks_of(std::initializer_list<Json> keys) {
    Json list = Json::array();
    for (const Json& key : keys) list.push_back(key);
    return Json{{"keys", list}}.dump();
}

/// An HS256 token whose HMAC secret is `secret` (for key-confusion tests).
inline std::string hs256_token(const Json& claims, const std::string& kid,
                               const std::string& secret) {
    const std::string input =
        access::base64url_encode(Json{{"alg", "HS256"}, {"kid", kid}}.dump()) + "." +
        access::base64url_encode(claims.dump());
    unsigned char mac[32];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
    return input + "." +
           access::base64url_encode(std::string(reinterpret_cast<const char*>(mac), length));
}

}  // namespace pitboss::testing
