package dev.nvmescan.nativebindings.sim;

import static dev.nvmescan.nativebindings.AdminCommand.*;

import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.DataBuffers;
import dev.nvmescan.nativebindings.NvmeStatus;
import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.nativebindings.identify.IdentifyNamespace;
import dev.nvmescan.nativebindings.identify.IdentifyZonedNamespace;
import dev.nvmescan.nativebindings.identify.NamespaceIdDescriptors;
import dev.nvmescan.nativebindings.identify.NamespaceList;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the simulated controller answers, without any timing: real Identify structures encoded on
 * demand from the configuration (no per-namespace state, so 100 000 namespaces cost one sorted
 * {@code int[]}), the injected faults, and the statuses a controller returns for commands it cannot
 * serve.
 *
 * <p>Namespace-scoped Identify (CNS 00h, 03h, 05h) is keyed by the command's NSID; controller-scoped
 * Identify (CNS 01h, 02h) by NSID 0 for fault injection. A vanished namespace stays in the Active
 * Namespace ID list but answers namespace-scoped Identify with zero-filled data, as the
 * specification requires for an NSID that is no longer active and as real controllers do after a
 * namespace is detached: a host sees {@code nsze == 0} and no identifiers.
 */
final class SimulatedDevice {
    /** Statuses the simulator answers on its own, with Do Not Retry as controllers set it. */
    static final NvmeStatus INVALID_OPCODE = dnr(0x01), INVALID_FIELD = dnr(0x02),
            INVALID_NAMESPACE = dnr(0x0b);

    private static final int NSID_LIST_CAPACITY = NamespaceList.CAPACITY;
    private static final int SECTOR_DS = 9, BLOCK_4K_DS = 12;
    private static final long MIB = 1L << 20;

    /** Active NSIDs, ascending as unsigned values. */
    private final int[] nsids;
    private final int lbaFormat;
    private final Map<Integer, NvmeStatus> failures;
    private final Set<Integer> vanished, hung, zoned;
    private final byte[] controller;

    /** One outcome: the data to transfer (null for none), or a status, or no completion at all. */
    record Outcome(byte[] data, NvmeStatus status, boolean hangs) {
        static final Outcome HANG = new Outcome(null, null, true);

        static Outcome data(byte[] data) {
            return new Outcome(data, null, false);
        }

        static Outcome status(NvmeStatus status) {
            return new Outcome(null, status, false);
        }
    }

    SimulatedDevice(int[] nsids, int lbaDataSize, Map<Integer, NvmeStatus> failures, Set<Integer> vanished,
                    Set<Integer> hung, Set<Integer> zoned, int queueDepth) {
        this.nsids = nsids;
        this.lbaFormat = lbaDataSize == 4096 ? 1 : 0;
        this.failures = Map.copyOf(failures);
        this.vanished = Set.copyOf(vanished);
        this.hung = Set.copyOf(hung);
        this.zoned = Set.copyOf(zoned);
        checkActive("vanish", this.vanished);
        checkActive("zoned", this.zoned);
        checkActive("fail", this.failures.keySet());
        checkActive("hang", this.hung);
        this.controller = identifyController(nsids.length == 0 ? 0 : nsids[nsids.length - 1], queueDepth).encode();
    }

    /** The answer to {@code command}. */
    Outcome answer(AdminCommand command) {
        if (command.opcode() != IDENTIFY)
            return Outcome.status(INVALID_OPCODE);
        int cns = command.cdw10() & 0xff, csi = command.cdw11() >>> 24, nsid = command.nsid();
        boolean namespaceScoped = cns == CNS_NAMESPACE || cns == CNS_NS_DESCRIPTORS || cns == CNS_CSI_NAMESPACE;
        int faultKey = namespaceScoped ? nsid : 0;
        if (hung.contains(faultKey))
            return Outcome.HANG;
        NvmeStatus failure = failures.get(faultKey);
        if (failure != null)
            return Outcome.status(failure);
        if (namespaceScoped && !active(nsid))
            return Outcome.status(INVALID_NAMESPACE);
        if (namespaceScoped && vanished.contains(nsid))
            return Outcome.data(new byte[(int) DataBuffers.IDENTIFY_SIZE]);
        return switch (cns) {
            case CNS_CONTROLLER -> Outcome.data(controller.clone());
            case CNS_ACTIVE_NSID_LIST -> nsid == 0xffffffff || nsid == 0xfffffffe
                    ? Outcome.status(INVALID_NAMESPACE) : Outcome.data(activeList(nsid).encode());
            case CNS_NAMESPACE -> Outcome.data(identifyNamespace(nsid).encode());
            case CNS_NS_DESCRIPTORS -> Outcome.data(descriptors(nsid).encode());
            case CNS_CSI_NAMESPACE -> csi == CSI_ZNS && zoned.contains(nsid)
                    ? Outcome.data(zonedNamespace().encode()) : Outcome.status(INVALID_FIELD);
            default -> Outcome.status(INVALID_FIELD);
        };
    }

    int namespaceCount() {
        return nsids.length;
    }

    private boolean active(int nsid) {
        return nsid != 0 && indexOf(nsid) >= 0;
    }

    /** Faults and options must name active NSIDs; faults may also name 0, the controller scope. */
    private void checkActive(String option, Set<Integer> chosen) {
        for (int nsid : chosen)
            if (!active(nsid) && !(nsid == 0 && (option.equals("fail") || option.equals("hang"))))
                throw new IllegalArgumentException(option + ": NSID " + Integer.toUnsignedString(nsid)
                        + " is not an active namespace of the simulated controller");
    }

    /** Binary search of {@code nsid} in the unsigned-ascending NSIDs, as Arrays.binarySearch answers. */
    private int indexOf(int nsid) {
        int lo = 0, hi = nsids.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1, c = Integer.compareUnsigned(nsids[mid], nsid);
            if (c < 0)
                lo = mid + 1;
            else if (c > 0)
                hi = mid - 1;
            else
                return mid;
        }
        return -(lo + 1);
    }

    /** Active NSIDs greater than {@code after}, 1024 at most. */
    private NamespaceList activeList(int after) {
        int i = indexOf(after);
        int from = i >= 0 ? i + 1 : -(i + 1);
        int to = Math.min(nsids.length, from + NSID_LIST_CAPACITY);
        return new NamespaceList(Arrays.stream(nsids, from, to).boxed().toList());
    }

    private static IdentifyController identifyController(int highestNsid, int queueDepth) {
        IdentifyController.PowerState ps0 = new IdentifyController.PowerState(
                900, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        return new IdentifyController(
                0x1b36, 0x1af4, "NVMESCANSIM0001", "nvmescan simulated controller", "1.0",
                6, 0x525400, 0, 7, 1, 0x00020000, 0, 0, 0x100, 0, 0, 0, 0, 0, 1,
                new UUID(0, 0), 0, 0, 0, 0, 0, 0, 0,
                0x0a, 3, 3, 3, 0x0e, 63, 0, 0, 0, 343, 373, 0, 0, 0,
                BigInteger.ZERO, BigInteger.ZERO, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, BigInteger.ZERO, 0, 0, 0x66, 0x44, queueDepth, Integer.toUnsignedLong(highestNsid), 0x1f,
                0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, BigInteger.ZERO, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                "nqn.2026-01.dev.nvmescan:sim", 0, 0, 0, 0, 0, 0, 0,
                List.of(ps0));
    }

    /** Deterministic namespace size: 1 to 4 GiB depending on the NSID. */
    private long blocks(int nsid) {
        long bytes = (1L + Integer.remainderUnsigned(nsid, 4)) * 1024 * MIB;
        return bytes >>> (lbaFormat == 1 ? BLOCK_4K_DS : SECTOR_DS);
    }

    private IdentifyNamespace identifyNamespace(int nsid) {
        long nsze = blocks(nsid);
        long blockSize = 1L << (lbaFormat == 1 ? BLOCK_4K_DS : SECTOR_DS);
        return new IdentifyNamespace(
                nsze, nsze, nsze / 2, 0, 1, lbaFormat, 0, 0, 0, 0, 0, 0, 0x09,
                0, 0, 0, 0, 0, 0, 0, BigInteger.valueOf(nsze * blockSize),
                0, 0, 0, 0, 0, 128, 128, 127, 0, 0, 0, 0, 0, 0, 0,
                nguid(nsid), eui64(nsid),
                List.of(new IdentifyNamespace.LbaFormat(0, SECTOR_DS, 2),
                        new IdentifyNamespace.LbaFormat(0, BLOCK_4K_DS, 0)),
                "");
    }

    private NamespaceIdDescriptors descriptors(int nsid) {
        return new NamespaceIdDescriptors(List.of(
                new NamespaceIdDescriptors.Eui64(eui64(nsid)),
                new NamespaceIdDescriptors.Nguid(nguid(nsid)),
                new NamespaceIdDescriptors.Uuid(uuid(nsid)),
                new NamespaceIdDescriptors.Csi(zoned.contains(nsid) ? CSI_ZNS : CSI_NVM)));
    }

    private IdentifyZonedNamespace zonedNamespace() {
        return new IdentifyZonedNamespace(0, 0, 13, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                List.of(new IdentifyZonedNamespace.ZoneFormat(256 * MIB >>> SECTOR_DS, 0),
                        new IdentifyZonedNamespace.ZoneFormat(256 * MIB >>> BLOCK_4K_DS, 0)));
    }

    /** EUI-64 from a private-use OUI (AC-DE-48) and the NSID. */
    static String eui64(int nsid) {
        return String.format("acde4800%08x", nsid);
    }

    /** NGUID: "nvmescan" in ASCII, then the NSID. */
    static String nguid(int nsid) {
        return String.format("6e766d657363616e00000000%08x", nsid);
    }

    /** A name-based UUID of the NSID. */
    static UUID uuid(int nsid) {
        return UUID.nameUUIDFromBytes(("nvmescan-sim:" + Integer.toUnsignedString(nsid))
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static NvmeStatus dnr(int sc) {
        return new NvmeStatus(0x4000 | sc);
    }
}
