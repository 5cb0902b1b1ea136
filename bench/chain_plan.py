import sys
n=int(sys.argv[1]); out=open(sys.argv[2],'w')
w=out.write
w("format: 1\nid: chain\ntitle: Chain\nphases:\n")
prev=None; k=0
P=10; M=100; T=n//(P*M)
for p in range(P):
    w(f"  - id: p{p}\n    title: Phase {p}\n    duration: 2-3 months\n    modules:\n")
    for m in range(M):
        w(f"      - id: m{m}\n        title: Module {m} 模块\n        tasks:\n")
        for t in range(T):
            fid=f"p{p}.m{m}.t{t}"
            w(f"          - id: t{t}\n            title: Task {k} 学习任务\n            effort: 3h\n")
            if prev: w(f"            after: [{prev}]\n")
            prev=fid; k+=1
out.close()
