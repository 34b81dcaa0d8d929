#include "audit/sha256.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <new>

#include "pitboss/core/error.hpp"

namespace pitboss::audit::detail {
namespace {

// Fetched once: an implicit fetch on every EVP_Digest call costs as much as hashing a short
// message. The digest lives until the process exits.
const EVP_MD* sha256_md() {
    static const EVP_MD* const md = [] {
        EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        if (fetched == nullptr) throw Error(ErrorCode::kInternal, "openssl: SHA256 unavailable");
        return fetched;
    }();
    return md;
}

void check(int ok, const char* what) {
    if (ok != 1) throw Error(ErrorCode::kInternal, std::string("openssl: ") + what + " failed");
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr) throw std::bad_alloc();
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

Digest Sha256::digest(std::string_view bytes) {
    Digest out;
    unsigned int size = 0;
    check(EVP_DigestInit_ex2(ctx_, sha256_md(), nullptr), "EVP_DigestInit_ex2");
    check(EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()), "EVP_DigestUpdate");
    check(EVP_DigestFinal_ex(ctx_, out.data(), &size), "EVP_DigestFinal_ex");
    return out;
}

void to_hex(const Digest& digest, char* out) noexcept {
    // Two characters per byte from one table: this runs for every appended and verified entry.
    static constexpr auto kPairs = [] {
        constexpr char kDigits[] = "0123456789abcdef";
        std::array<char, 512> pairs{};
        for (std::size_t byte = 0; byte < 256; ++byte) {
            pairs[2 * byte] = kDigits[byte >> 4];
            pairs[2 * byte + 1] = kDigits[byte & 0x0f];
        }
        return pairs;
    }();
    for (unsigned char byte : digest) {
        std::memcpy(out, &kPairs[2 * std::size_t{byte}], 2);
        out += 2;
    }
}

}  // namespace pitboss::audit::detail
