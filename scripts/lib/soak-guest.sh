# Guest side of scripts/soak: fresh processes per backend, then many scans in one JVM; hs_err files
# of JVMs that die are collected into $RESULTS by guest-run.
set -u
. scripts/lib/jdk.sh
. "$RESULTS/soak.env"
dev=$NVMESCAN_TCP
n=$(nvme list-ns "$dev" | grep -c .)
ok=0 runs=0
for i in $(seq "$SOAK_PROCESSES"); do
	for b in uring ioctl; do
		scanner/target/nvmescan/bin/nvmescan scan -o json --backend "$b" "$dev" > "$RESULTS/p-$b-$i.out" 2> "$RESULTS/p-$b-$i.err"
		rc=$?
		runs=$((runs + 1))
		[ "$rc" = 0 ] && [ "$(grep -c '"status": "ok"' "$RESULTS/p-$b-$i.out")" = "$n" ] && ok=$((ok + 1))
		echo "process $b $i exit $rc" >> "$RESULTS/soak.log"
	done
done
echo "fresh processes: $ok of $runs exited 0 with all $n namespaces ($NVMESCAN_KERNEL)"
batch=$RESULTS/batch
for i in $(seq "$SOAK_SCANS"); do
	b=$([ $((i % 2)) = 0 ] && echo ioctl || echo uring)
	echo "s-$i scan -o ndjson --backend $b $dev"
done > "$batch"
java -XX:-UsePerfData --enable-native-access=dev.nvmescan.nativebindings -p scanner/target/nvmescan/lib \
	--add-modules dev.nvmescan.scanner --add-exports dev.nvmescan.scanner/dev.nvmescan.scanner.cli=ALL-UNNAMED \
	-cp vm-tests/target/test-classes dev.nvmescan.vmtests.GuestBatch "$batch" "$RESULTS" > "$RESULTS/batch.log" 2>&1
rc=$?
ok=0
for i in $(seq "$SOAK_SCANS"); do
	[ "$(cat "$RESULTS/s-$i.rc" 2>/dev/null)" = 0 ] &&
		[ "$(grep -c '"type":"namespace".*"status":"ok"' "$RESULTS/s-$i.out")" = "$n" ] && ok=$((ok + 1))
done
echo "one JVM: $ok of $SOAK_SCANS scans exited 0 with all $n namespaces (batch exit $rc)"
echo "crashes: $(ls /tmp/hs_err_pid*.log 2>/dev/null | wc -l) hs_err files"
