// CAF 0.17 has no `inspect` for std::optional and std::variant, and finds `inspect` by
// argument-dependent lookup, which never looks into namespace std on its own. So a struct's
// inspect wraps such members: `f(caf::meta::type_name(..), x.a, optional_field{x.b})`.
// Loading reads a flag or an index first and then only what it announces (load callbacks run
// in field order), the same layout CAF uses for caf::optional and caf::variant.
#pragma once

#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/sec.hpp>

#include <cstdint>
#include <optional>
#include <variant>

namespace rtd {

/// A std::optional member: a flag, then the value when there is one.
template <class T> struct optional_field { std::optional<T>& value; };
template <class T> optional_field(std::optional<T>&) -> optional_field<T>;

/// A std::variant member: the alternative's index (one byte), then that alternative.
template <class... Ts> struct variant_field {
  std::variant<Ts...>& value;
  static_assert(sizeof...(Ts) < 256, "the index is one byte");
};
template <class... Ts> variant_field(std::variant<Ts...>&) -> variant_field<Ts...>;

template <class Inspector, class T>
typename Inspector::result_type inspect(Inspector& f, optional_field<T>& x) {
  if constexpr (Inspector::writes_state) {
    bool present = false;
    return f(present, caf::meta::load_callback([&]() -> caf::error {
               if (!present) {
                 x.value.reset();
                 return caf::none;
               }
               T loaded{};
               if (auto err = f(loaded))
                 return err;
               x.value = std::move(loaded);
               return caf::none;
             }));
  } else {
    return x.value ? f(true, *x.value) : f(false);
  }
}

namespace detail {

/// Loads alternative `index` of `v`, found by walking the alternatives from `I`.
template <std::size_t I, class Inspector, class... Ts>
caf::error load_alternative(Inspector& f, std::variant<Ts...>& v, std::uint8_t index) {
  if constexpr (I < sizeof...(Ts)) {
    if (index != I)
      return load_alternative<I + 1>(f, v, index);
    return f(v.template emplace<I>());
  } else {
    return caf::make_error(caf::sec::invalid_argument, "variant index out of range");
  }
}

} // namespace detail

template <class Inspector, class... Ts>
typename Inspector::result_type inspect(Inspector& f, variant_field<Ts...>& x) {
  if constexpr (Inspector::writes_state) {
    std::uint8_t index = 0;
    return f(index, caf::meta::load_callback(
                        [&] { return detail::load_alternative<0>(f, x.value, index); }));
  } else {
    auto index = static_cast<std::uint8_t>(x.value.index());
    return std::visit([&](auto& alternative) { return f(index, alternative); }, x.value);
  }
}

} // namespace rtd
