# Convenience targets around CMake. README: `make demo`, `make check`.
JOBS ?= 2
DEMO_EVENTS ?= 20000

.PHONY: all deps build check valgrind demo bench fuzz format clean

all: build

deps:
	@sh scripts/deps.sh

build: deps
	@cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build/release -j$(JOBS) --target mrm

check: deps
	@cmake -S . -B build/check -DCMAKE_BUILD_TYPE=Debug -DMRM_SANITIZE=ON >/dev/null
	@cmake --build build/check -j$(JOBS)
	cd build/check && ctest --output-on-failure -j$(JOBS)

valgrind: deps
	@cmake -S . -B build/valgrind -DCMAKE_BUILD_TYPE=Debug \
		"-DMRM_TEST_LAUNCHER=valgrind;--quiet;--leak-check=full;--show-leak-kinds=definite,indirect;--errors-for-leak-kinds=definite,indirect;--error-exitcode=99" >/dev/null
	@cmake --build build/valgrind -j$(JOBS)
	cd build/valgrind && ctest --output-on-failure -j$(JOBS)

demo: build
	@mkdir -p demo
	@rm -f demo/demo.db demo/demo.db.key demo/demo.db-wal demo/demo.db-shm
	build/release/mrm init --db demo/demo.db
	build/release/mrm demo-data --db demo/demo.db --events $(DEMO_EVENTS) --seed 1
	build/release/mrm info --db demo/demo.db
	@echo "Events that mention แรงงาน (workers), found without word breaks:"
	@build/release/mrm search --db demo/demo.db --limit 5 แรงงาน
	@build/release/mrm stats --db demo/demo.db --measure persons --by act_group --public
	@build/release/mrm report --db demo/demo.db --template add-monitoring --public --out demo/report.html
	@echo "Wrote demo/report.html (public edition; open it in a browser, print it to PDF)."
	@echo 'synthetic records only' | build/release/mrm user add --db demo/demo.db \
		--org MKN-TH --login demo --role coordinator >/dev/null
	@echo
	@echo "The web application is starting on http://127.0.0.1:8080"
	@echo "Log in as: demo   password: synthetic records only   (synthetic demo data)"
	@echo "Stop it with Ctrl-C. Other commands: build/release/mrm help"
	@build/release/mrm serve --db demo/demo.db --listen 127.0.0.1:8080

bench: build
	@sh scripts/bench-deps.sh
	sh bench/run.sh

fuzz: deps
	sh fuzz/run.sh 300

format:
	clang-format -i include/mrm/*.h src/*/*.c src/lib/*.h tests/*.c tools/*.c

clean:
	rm -rf build
