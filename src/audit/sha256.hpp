#pragma once
// SHA-256 through OpenSSL's EVP interface, tuned for hashing millions of short messages: the
// digest is fetched from the provider once per process and each hasher reuses one context.

#include <array>
#include <cstdint>
#include <string_view>

struct evp_md_ctx_st;

namespace pitboss::audit::detail {

/// 32 raw bytes of a SHA-256 digest.
using Digest = std::array<unsigned char, 32>;

/// A reusable SHA-256 hasher. Not thread-safe; create one per thread (construction is cheap).
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    /// The digest of `bytes`.
    [[nodiscard]] Digest digest(std::string_view bytes);

private:
    evp_md_ctx_st* ctx_;
};

/// Writes the 64 lower-case hex characters of `digest` to `out`.
void to_hex(const Digest& digest, char* out) noexcept;

}  // namespace pitboss::audit::detail
