# SPDX-License-Identifier: MIT
#
# Test signing and the package that goes to a Windows machine.
#
# Targets:
#   sign            sign xfer.sys and xferctl.exe of each architecture in
#                   ARCH (SHA-256, osslsigncode) into $(BUILD)/signed/ARCH/;
#                   on first use, a test code-signing certificate is made
#                   with openssl under $(BUILD)/sign/ (never committed)
#   package         $(BUILD)/package/ARCH/: xfer.sys, xfer.inf, xferctl.exe,
#                   their PDBs and README.txt; `make sign package` packs the
#                   signed binaries and the certificate, xfer.cer
#   package-check   sign, package, and check every image of the build and
#                   of the package with tools that did not write it:
#                   scripts/check-package (pefile, llvm-pdbutil,
#                   osslsigncode, openssl)
#
# Variables: SIGN_KEY and SIGN_CERT (PEM) sign with a key and certificate
# of one's own instead of the test certificate.
#
# This fragment leaves the including Makefile's default goal alone.

PACKAGE_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

SIGN_DIR    := $(BUILD)/sign
TEST_KEY    := $(SIGN_DIR)/xfer-test.key
TEST_CERT   := $(SIGN_DIR)/xfer-test.pem
SIGN_KEY    ?= $(TEST_KEY)
SIGN_CERT   ?= $(TEST_CERT)
SIGNED_DIR  := $(BUILD)/signed
PACKAGE_DIR := $(BUILD)/package
# What is signed; each keeps the PDB of the unsigned image (the signature
# leaves the debug directory alone).
SIGNED_FILES := xfer.sys xferctl.exe
# The package is signed when signing is asked for in the same run.
PACKAGE_SIGNED := $(filter sign package-check,$(MAKECMDGOALS))

# A self-signed code-signing certificate, valid ten years. Windows trusts
# it once imported into Root and TrustedPublisher, with test signing on.
$(TEST_KEY) $(TEST_CERT) &:
	@mkdir -p $(SIGN_DIR)
	$(call quiet,CERT,$(TEST_CERT))openssl req -x509 -newkey rsa:3072 -sha256 -nodes -days 3650 \
	  -subj "/CN=xfer test signing" -addext "keyUsage=critical,digitalSignature" \
	  -addext "extendedKeyUsage=codeSigning" -addext "basicConstraints=critical,CA:FALSE" \
	  -keyout $(TEST_KEY) -out $(TEST_CERT) 2>$(SIGN_DIR)/openssl.log || \
	  { cat $(SIGN_DIR)/openssl.log >&2; rm -f $(TEST_KEY) $(TEST_CERT); exit 1; }

# Which key and certificate signed what is in $(SIGNED_DIR): rewritten when
# they change (SIGN_KEY=, SIGN_CERT= given or dropped), so that everything
# signed, and xfer.cer, is made again with the new ones.
SIGNER := $(SIGN_DIR)/signer
$(SIGNER): package-force
	@mkdir -p $(@D)
	@echo '$(abspath $(SIGN_KEY)) $(abspath $(SIGN_CERT))' | cmp -s - $@ || \
	  echo '$(abspath $(SIGN_KEY)) $(abspath $(SIGN_CERT))' >$@

# The signature covers everything but the checksum and itself; osslsigncode
# writes the image's checksum anew after signing.
$(SIGNED_DIR)/%: $(BUILD)/% $(SIGN_KEY) $(SIGN_CERT) $(SIGNER) | deps
	@mkdir -p $(@D) && rm -f $@
	$(call quiet,SIGN,$@)osslsigncode sign -certs $(SIGN_CERT) -key $(SIGN_KEY) -h sha256 \
	  -n "xfer" -in $< -out $@ >/dev/null

# The certificate as Windows' certutil and the certificate dialogs take it.
$(SIGN_DIR)/xfer.cer: $(SIGN_CERT) $(SIGNER)
	$(call quiet,CERT,$@)openssl x509 -in $< -outform DER -out $@

sign: $(foreach a,$(ARCH),$(foreach f,$(SIGNED_FILES),$(SIGNED_DIR)/$(a)/$(f))) $(SIGN_DIR)/xfer.cer

# package_arch ARCH: $(PACKAGE_DIR)/ARCH, written afresh each time so that
# nothing of an earlier (signed or unsigned) package stays behind.
define package_arch
package-$(1): $(foreach f,$(SIGNED_FILES),$(if $(PACKAGE_SIGNED),$(SIGNED_DIR),$(BUILD))/$(1)/$(f)) \
              $(BUILD)/$(1)/xfer.pdb $(BUILD)/$(1)/xferctl.pdb $(BUILD)/$(1)/xfer.inf \
              tools/package/README.txt $(if $(PACKAGE_SIGNED),$(SIGN_DIR)/xfer.cer)
	$$(call quiet,PACK,$(PACKAGE_DIR)/$(1)$(if $(PACKAGE_SIGNED), (signed)))rm -rf $(PACKAGE_DIR)/$(1) && \
	  mkdir -p $(PACKAGE_DIR)/$(1) && cp $$^ $(PACKAGE_DIR)/$(1)/
endef
$(foreach a,$(ARCHS),$(eval $(call package_arch,$(a))))

package: $(foreach a,$(ARCH),package-$(a))

package-check: sign package
	@scripts/check-package --build $(BUILD) --package $(PACKAGE_DIR) --cert $(SIGN_CERT) \
	  $(foreach a,$(ARCH),--arch $(a))

.PHONY: sign package package-check package-force $(foreach a,$(ARCHS),package-$(a))
CHECK_SUITES += package-check

.DEFAULT_GOAL := $(PACKAGE_SAVED_DEFAULT_GOAL)
